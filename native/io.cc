// Array files: .npy, .safetensors, .gguf (the .npz container is JS: lib/io.ts).
// Reads go through bounds-checked readers: a read past the end of the data is
// an exception, never a read of arbitrary memory. lib/io.ts validates a file's
// structure before MLX sees it (lib/io-validate.ts), so that a malformed file
// is an Error when it is loaded rather than during a later evaluation.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include <algorithm>
#include <cstring>
#include <unordered_map>

#include "bind.h"
#include "mlx/io.h"

namespace mlxnode {

namespace {

namespace io = mx::io;

std::string ReadError(const std::string& label, size_t offset, size_t n, size_t size) {
  std::ostringstream os;
  os << "[load] " << label << ": read of " << n << " bytes at offset " << offset << " is past its end (" << size
     << " bytes).";
  return os.str();
}

// A file, read with pread; every read is checked against the file size.
class CheckedFileReader : public io::Reader {
 public:
  explicit CheckedFileReader(const std::string& path) : path_(path) {
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) throw std::invalid_argument("[load] Failed to open " + path + ": " + std::strerror(errno));
    struct stat st;
    if (::fstat(fd_, &st) != 0 || !S_ISREG(st.st_mode)) {
      ::close(fd_);
      throw std::invalid_argument("[load] Not a regular file: " + path);
    }
    size_ = static_cast<size_t>(st.st_size);
  }
  ~CheckedFileReader() override { ::close(fd_); }
  bool is_open() const override { return fd_ >= 0; }
  bool good() const override { return fd_ >= 0 && pos_ <= size_; }
  size_t tell() override { return pos_; }
  void seek(int64_t off, std::ios_base::seekdir way) override {
    int64_t base = way == std::ios_base::beg ? 0 : way == std::ios_base::end ? int64_t(size_) : int64_t(pos_);
    int64_t to = base + off;
    if (to < 0 || size_t(to) > size_)
      throw std::out_of_range(ReadError(path_, size_t(std::max<int64_t>(to, 0)), 0, size_));
    pos_ = size_t(to);
  }
  void read(char* data, size_t n) override {
    read(data, n, pos_);
    pos_ += n;
  }
  void read(char* data, size_t n, size_t offset) override {
    if (offset > size_ || n > size_ - offset) throw std::out_of_range(ReadError(path_, offset, n, size_));
    while (n > 0) {
      ssize_t got = ::pread(fd_, data, std::min<size_t>(n, size_t(1) << 30), static_cast<off_t>(offset));
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) throw std::runtime_error("[load] Failed to read " + path_ + ": " + std::strerror(errno));
      data += got;
      offset += size_t(got);
      n -= size_t(got);
    }
  }
  std::string label() const override { return "file " + path_; }

 private:
  int fd_ = -1;
  std::string path_;
  size_t size_ = 0;
  size_t pos_ = 0;
};

// Bytes from JS (a copy: MLX reads them lazily, possibly on another thread).
class MemoryReader : public io::Reader {
 public:
  explicit MemoryReader(std::vector<char> bytes) : bytes_(std::move(bytes)) {}
  bool is_open() const override { return true; }
  bool good() const override { return pos_ <= bytes_.size(); }
  size_t tell() override { return pos_; }
  void seek(int64_t off, std::ios_base::seekdir way) override {
    int64_t base = way == std::ios_base::beg ? 0 : way == std::ios_base::end ? int64_t(bytes_.size()) : int64_t(pos_);
    int64_t to = base + off;
    if (to < 0 || size_t(to) > bytes_.size()) throw std::out_of_range(ReadError("buffer", 0, 0, bytes_.size()));
    pos_ = size_t(to);
  }
  void read(char* data, size_t n) override {
    read(data, n, pos_);
    pos_ += n;
  }
  void read(char* data, size_t n, size_t offset) override {
    if (offset > bytes_.size() || n > bytes_.size() - offset) {
      throw std::out_of_range(ReadError("buffer", offset, n, bytes_.size()));
    }
    std::memcpy(data, bytes_.data() + offset, n);
  }
  std::string label() const override { return "buffer"; }

 private:
  std::vector<char> bytes_;
  size_t pos_ = 0;
};

// Bytes for JS.
class MemoryWriter : public io::Writer {
 public:
  bool is_open() const override { return true; }
  bool good() const override { return true; }
  size_t tell() override { return pos_; }
  void seek(int64_t off, std::ios_base::seekdir way) override {
    int64_t base = way == std::ios_base::beg ? 0 : way == std::ios_base::end ? int64_t(bytes.size()) : int64_t(pos_);
    pos_ = size_t(std::max<int64_t>(0, base + off));
  }
  void write(const char* data, size_t n) override {
    if (pos_ + n > bytes.size()) bytes.resize(pos_ + n);
    std::memcpy(bytes.data() + pos_, data, n);
    pos_ += n;
  }
  std::string label() const override { return "buffer"; }
  std::vector<char> bytes;

 private:
  size_t pos_ = 0;
};

// A file path or the bytes of a file (Buffer, Uint8Array, ArrayBuffer).
using Source = std::variant<std::string, std::vector<char>>;

std::shared_ptr<io::Reader> Open(const Source& src) {
  if (auto path = std::get_if<std::string>(&src)) return std::make_shared<CheckedFileReader>(*path);
  return std::make_shared<MemoryReader>(std::get<std::vector<char>>(src));
}

using ArrayMap = std::unordered_map<std::string, mx::array>;
using StringMap = std::unordered_map<std::string, std::string>;

}  // namespace

// {name: value} plain objects <-> unordered maps.
template <typename V>
struct Convert<std::unordered_map<std::string, V>> {
  static bool is(const Napi::Value& v) { return IsPlainObject(v); }
  static std::unordered_map<std::string, V> from(const Napi::Value& v, const Arg& arg) {
    if (!IsPlainObject(v)) ThrowArgTypeError(v, arg, "a plain object {name: " + Convert<V>::ts() + "}");
    std::unordered_map<std::string, V> out;
    auto o = v.As<Napi::Object>();
    auto keys = o.GetPropertyNames();
    for (uint32_t i = 0; i < keys.Length(); ++i) {
      std::string k = keys.Get(i).As<Napi::String>().Utf8Value();
      out.emplace(k, Convert<V>::from(o.Get(k), arg));
    }
    return out;
  }
  static Napi::Value to(Napi::Env env, const std::unordered_map<std::string, V>& m) {
    // Keys in sorted order: a stable order to iterate in.
    std::vector<const std::string*> keys;
    for (auto& [k, _] : m) keys.push_back(&k);
    std::sort(keys.begin(), keys.end(), [](auto a, auto b) { return *a < *b; });
    auto o = Napi::Object::New(env);
    for (auto* k : keys) o.Set(*k, Convert<V>::to(env, m.at(*k)));
    return o;
  }
  static std::string ts() { return "Record<string, " + Convert<V>::ts() + ">"; }
};
template <typename V>
inline constexpr bool kTakesPlainObject<std::unordered_map<std::string, V>> = true;
template <typename V>
inline constexpr bool kTakesPlainObject<std::optional<std::unordered_map<std::string, V>>> = true;

void InitIo(Napi::Env, Napi::Object m) {
  Def(
      m, "_loadNpy", [](Source src, mx::StreamOrDevice s) { return mx::load(Open(src), s); },
      {"file"_a, "stream"_a = none}, "An array from .npy data (a path or bytes).");
  Def(
      m, "_saveNpy",
      [](std::optional<std::string> path, const mx::array& a) -> std::optional<std::vector<char>> {
        if (path) {
          mx::save(*path, a);
          return std::nullopt;
        }
        auto w = std::make_shared<MemoryWriter>();
        mx::save(w, a);
        return std::move(w->bytes);
      },
      {"file"_a, "arr"_a}, "Write .npy data to a path, or return it as bytes (file null).");
  Def(
      m, "_loadSafetensors", [](Source src, mx::StreamOrDevice s) { return mx::load_safetensors(Open(src), s); },
      {"file"_a, "stream"_a = none}, "[arrays, metadata] from .safetensors data (a path or bytes).");
  Def(
      m, "_saveSafetensors",
      [](std::optional<std::string> path, ArrayMap arrays,
         std::optional<StringMap> metadata) -> std::optional<std::vector<char>> {
        if (path) {
          mx::save_safetensors(*path, arrays, metadata.value_or(StringMap{}));
          return std::nullopt;
        }
        auto w = std::make_shared<MemoryWriter>();
        mx::save_safetensors(w, arrays, metadata.value_or(StringMap{}));
        return std::move(w->bytes);
      },
      {"file"_a, "arrays"_a, "metadata"_a = none}, "Write .safetensors data to a path, or return it as bytes.");
  Def(
      m, "_loadGguf",
      [](std::string path, mx::StreamOrDevice s) {
        auto [arrays, meta] = mx::load_gguf(path, s);
        std::unordered_map<std::string, std::variant<std::monostate, mx::array, std::string, std::vector<std::string>>>
            out(meta.begin(), meta.end());
        return std::make_pair(arrays, out);
      },
      {"file"_a, "stream"_a = none}, "[arrays, metadata] from a .gguf file.");
  Def(
      m, "_saveGguf",
      [](std::string path, ArrayMap arrays,
         std::optional<std::unordered_map<std::string, std::variant<mx::array, std::string, std::vector<std::string>>>>
             metadata) {
        std::unordered_map<std::string, mx::GGUFMetaData> meta;
        if (metadata) {
          for (auto& [k, v] : *metadata) {
            std::visit([&](auto& x) { meta.emplace(k, x); }, v);
          }
        }
        mx::save_gguf(path, arrays, meta);
      },
      {"file"_a, "arrays"_a, "metadata"_a = none}, "Write a .gguf file.");
}

}  // namespace mlxnode
