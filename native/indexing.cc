// Python's indexing, a[...], a[...] = v and a.at[...].op(v), with numpy's
// semantics (docs/indexing.md has the JS spelling). The components of a
// subscript arrive as separate JS arguments:
//   integer | bigint          an index (negative counts from the end)
//   'start:stop:step' string  a slice (parts optional), or mx.Slice(...)
//   null                      a new axis (Python's None)
//   '...'                     an ellipsis
//   mx.array of integers      an array index (gather)
//   JS array of integers      a list index (Python's a[[0, 2]])
//
// Reads with only integers and slices are one slice (+ reshape); with array
// indices one gather. Writes are one slice_update, or one scatter.
#include <charconv>
#include <cstdlib>
#include <sstream>
#include <string_view>

#include "mlx/dtype_utils.h"
#include "ops.h"

namespace mlxnode {

namespace {

struct Component {
  enum Kind { Int, Slice, NewAxis, Ellipsis, Array } kind;
  int64_t index = 0;                         // Int
  std::optional<int64_t> start, stop, step;  // Slice (as written)
  std::optional<mx::array> array;            // Array
  std::vector<int64_t> list;                 // Array given as a JS list: its values, to check bounds
  mx::Shape listShape;
  bool fromList = false;
  // Resolved against the source shape (Slice): normalized start, step, length.
  int64_t first = 0, stride = 1, length = 0;
};

[[noreturn]] void IndexTypeError(Napi::Env env, const std::string& msg) { throw Napi::TypeError::New(env, msg); }
[[noreturn]] void IndexRangeError(Napi::Env env, const std::string& msg) { throw Napi::RangeError::New(env, msg); }

// Slice bounds are 32-bit in MLX (Python raises for larger ones too).
int64_t Slice32(const Napi::Env& env, int64_t v) {
  if (v < std::numeric_limits<int32_t>::min() || v > std::numeric_limits<int32_t>::max()) {
    IndexRangeError(env, "slice indices must be 32-bit integers.");
  }
  return v;
}

// One part of 'start:stop:step': empty or an integer.
std::optional<int64_t> SlicePart(Napi::Env env, std::string_view text, std::string_view whole) {
  size_t b = text.find_first_not_of(" \t");
  if (b == std::string_view::npos) return std::nullopt;
  size_t e = text.find_last_not_of(" \t");
  std::string_view t = text.substr(b, e - b + 1);
  int64_t v = 0;
  auto [end, err] = std::from_chars(t.data() + (t[0] == '+' ? 1 : 0), t.data() + t.size(), v);
  if (err == std::errc::result_out_of_range) IndexRangeError(env, "slice indices must be 32-bit integers.");
  if (err != std::errc() || end != t.data() + t.size() || (t[0] == '+' && t.size() > 1 && t[1] == '-')) {
    IndexTypeError(env,
                   "invalid slice '" + std::string(whole) + "': slice parts must be integers, as in '1:3' or '::-1'.");
  }
  return Slice32(env, v);
}

void ParseList(const Napi::Value& v, size_t depth, Component& c, const Napi::Env& env) {
  if (v.IsArray()) {
    auto a = v.As<Napi::Array>();
    uint32_t n = a.Length();
    if (c.listShape.size() <= depth) {
      c.listShape.push_back(static_cast<int>(n));
    } else if (c.listShape[depth] != static_cast<int>(n)) {
      IndexTypeError(env, "a list index must be rectangular (all rows of the same length).");
    }
    for (uint32_t i = 0; i < n; ++i) ParseList(a.Get(i), depth + 1, c, env);
    return;
  }
  if (depth != c.listShape.size())
    IndexTypeError(env, "a list index must be rectangular (all rows of the same length).");
  if (!IsIntegral(v)) {
    IndexTypeError(env, "a list index must hold integers, got " + Describe(v) + ".");
  }
  c.list.push_back(ToInt64(v, Arg{"index", "index"}));
}

Component Parse(const Napi::Value& v) {
  Napi::Env env = v.Env();
  Component c{};
  const napi_valuetype t = TypeOf(v);
  if (t == napi_null) {
    c.kind = Component::NewAxis;
  } else if (t == napi_number || t == napi_bigint) {
    if (!IsIntegral(v)) IndexTypeError(env, "an index must be an integer, got " + Describe(v) + ".");
    c.kind = Component::Int;
    c.index = ToInt64(v, Arg{"index", "index"});
  } else if (t == napi_string) {
    // Slices are short: read into a stack buffer (a longer string takes the heap).
    char buf[64];
    size_t len = 0;
    napi_get_value_string_utf8(env, v, buf, sizeof buf, &len);
    std::string heap;
    if (len + 1 >= sizeof buf) heap = v.As<Napi::String>().Utf8Value();
    std::string_view s = heap.empty() ? std::string_view(buf, len) : std::string_view(heap);
    if (s == "...") {
      c.kind = Component::Ellipsis;
    } else {
      size_t c1 = s.find(':');
      if (c1 == std::string_view::npos) {
        IndexTypeError(env, "the string index '" + std::string(s) + "' is not a slice ('start:stop:step') or '...'" +
                                " (an integer index is a number: write it without quotes).");
      }
      size_t c2 = s.find(':', c1 + 1);
      if (c2 != std::string_view::npos && s.find(':', c2 + 1) != std::string_view::npos) {
        IndexTypeError(env, "invalid slice '" + std::string(s) + "': at most two ':'.");
      }
      c.kind = Component::Slice;
      c.start = SlicePart(env, s.substr(0, c1), s);
      c.stop = SlicePart(env, s.substr(c1 + 1, c2 == std::string_view::npos ? std::string_view::npos : c2 - c1 - 1), s);
      if (c2 != std::string_view::npos) c.step = SlicePart(env, s.substr(c2 + 1), s);
    }
  } else if (IsArray(v)) {
    c.kind = Component::Array;
    c.array = UnwrapArray(v, Arg{"index", "index"});
    if (c.array->dtype() == mx::bool_) {
      IndexTypeError(env, "boolean (mask) indices are not supported (Python mlx does not support them either).");
    }
    if (!mx::issubdtype(c.array->dtype(), mx::integer)) {
      std::ostringstream os;
      os << "array indices must be integers, got an array of " << c.array->dtype() << ".";
      IndexTypeError(env, os.str());
    }
  } else if (v.IsArray()) {
    c.kind = Component::Array;
    c.fromList = true;
    ParseList(v, 0, c, env);
  } else if (napi_value parts[3]; ReadSlice(v, parts)) {
    c.kind = Component::Slice;
    auto part = [&](napi_value raw, const char* key) -> std::optional<int64_t> {
      Napi::Value p(env, raw);
      if (IsNullish(p)) return std::nullopt;
      if (!IsIntegral(p)) IndexTypeError(env, std::string("mx.Slice: '") + key + "' must be an integer or null.");
      return Slice32(env, ToInt64(p, Arg{"Slice", key}));
    };
    c.start = part(parts[0], "start");
    c.stop = part(parts[1], "stop");
    c.step = part(parts[2], "step");
  } else if (v.IsUndefined()) {
    IndexTypeError(env, "undefined is not an index (use null for a new axis, ':' for a whole axis).");
  } else {
    IndexTypeError(env, "cannot index an array with " + Describe(v) +
                            " (indices are integers, 'start:stop:step' slices, mx.Slice, null, '...', integer "
                            "arrays or lists).");
  }
  return c;
}

// numpy's slice.indices(n): clamped start, step and the length.
void ResolveSlice(Component& c, int64_t n, const Napi::Env& env) {
  int64_t step = c.step.value_or(1);
  if (step == 0) IndexRangeError(env, "slice step cannot be zero.");
  int64_t start, stop;
  if (step > 0) {
    start = c.start ? *c.start : 0;
    stop = c.stop ? *c.stop : n;
    if (start < 0) start += n;
    if (stop < 0) stop += n;
    start = std::clamp<int64_t>(start, 0, n);
    stop = std::clamp<int64_t>(stop, 0, n);
    c.length = stop > start ? (stop - start + step - 1) / step : 0;
  } else {
    start = c.start ? *c.start : n - 1;
    stop = c.stop ? *c.stop : -n - 1;
    if (start < 0) start += n;
    if (stop < 0) stop += n;
    start = std::clamp<int64_t>(start, -1, n - 1);
    stop = std::clamp<int64_t>(stop, -1, n - 1);
    c.length = start > stop ? (start - stop + (-step) - 1) / (-step) : 0;
  }
  c.first = start;
  c.stride = step;
}

int64_t CheckIndex(int64_t i, int64_t n, int axis, const Napi::Env& env) {
  if (i < -n || i >= n) {
    std::ostringstream os;
    os << "index " << i << " is out of bounds for axis " << axis << " with size " << n << ".";
    IndexRangeError(env, os.str());
  }
  return i < 0 ? i + n : i;
}

template <typename T>
void CheckValues(const mx::array& idx, int64_t size, int axis, const char* fn) {
  const T* data = idx.data<T>();
  for (size_t i = 0; i < idx.data_size(); ++i) {
    int64_t v = static_cast<int64_t>(data[i]);
    if constexpr (std::is_unsigned_v<T>) {
      if (data[i] > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) v = std::numeric_limits<int64_t>::max();
    }
    if (v < -size || v >= size) {
      std::ostringstream os;
      os << fn << "index " << v << " is out of bounds for axis " << axis << " with size " << size << ".";
      throw std::out_of_range(os.str());
    }
  }
}

// The subscript resolved against an array's shape.
struct Plan {
  std::vector<Component> comps;  // ellipsis expanded; NewAxis kept in place
  int indexed = 0;               // axes 0..indexed-1 are indexed, the rest taken whole
  bool advanced = false;         // any Int/Array component (with arrays: a gather)
  bool hasArray = false;
  bool gatherFirst = false;  // advanced indices not adjacent: their dims go first
  mx::Shape broadcast;       // the advanced indices' broadcast shape
};

Plan Resolve(const mx::array& src, const std::vector<Component>& in, const Napi::Env& env) {
  int ndim = static_cast<int>(src.ndim());
  int real = 0, ellipses = 0;
  for (auto& c : in) {
    real += c.kind != Component::NewAxis && c.kind != Component::Ellipsis;
    ellipses += c.kind == Component::Ellipsis;
  }
  if (ellipses > 1) IndexTypeError(env, "an index can only have a single ellipsis ('...').");
  if (real > ndim) {
    std::ostringstream os;
    os << "too many indices for array: array is " << ndim << "-dimensional, but " << real << " were indexed.";
    IndexRangeError(env, os.str());
  }
  Plan p;
  for (auto& c : in) {
    if (c.kind == Component::Ellipsis) {
      for (int k = 0; k < ndim - real; ++k) {
        Component full{};
        full.kind = Component::Slice;
        p.comps.push_back(full);
      }
    } else {
      p.comps.push_back(c);
    }
  }
  int axis = 0;
  int firstAdv = -1, lastAdv = -1;
  std::vector<mx::Shape> advShapes;
  for (int k = 0; k < static_cast<int>(p.comps.size()); ++k) {
    auto& c = p.comps[k];
    if (c.kind == Component::NewAxis) continue;
    int64_t n = src.shape(axis);
    if (c.kind == Component::Slice) {
      ResolveSlice(c, n, env);
    } else if (c.kind == Component::Int) {
      c.index = CheckIndex(c.index, n, axis, env);
      advShapes.push_back({});
    } else {
      if (c.fromList) {
        for (auto& x : c.list) x = CheckIndex(x, n, axis, env);
        std::vector<int32_t> v(c.list.begin(), c.list.end());
        c.array = mx::array(v.begin(), c.listShape, mx::int32);
      } else
        CheckIndexValues(*c.array, n, axis, "");
      advShapes.push_back(c.array->shape());
      p.hasArray = true;
    }
    if (c.kind != Component::Slice) {
      if (firstAdv < 0) firstAdv = k;
      lastAdv = k;
    }
    ++axis;
  }
  p.indexed = axis;
  p.advanced = firstAdv >= 0;
  for (int k = firstAdv; k >= 0 && k <= lastAdv; ++k) {
    auto kind = p.comps[k].kind;
    if (kind == Component::Slice || kind == Component::NewAxis) p.gatherFirst = true;
  }
  for (auto& s : advShapes) p.broadcast = mx::broadcast_shapes(p.broadcast, s);
  return p;
}

// The shape a[...] has: per component in order, with the advanced indices'
// broadcast dims first (gatherFirst) or where the first of them stands.
mx::Shape ResultShape(const mx::array& src, const Plan& p) {
  mx::Shape out;
  bool adv = p.hasArray;  // with only integers, an Int just removes its axis
  if (adv && p.gatherFirst) out.insert(out.end(), p.broadcast.begin(), p.broadcast.end());
  bool placed = p.gatherFirst;
  for (auto& c : p.comps) {
    if (c.kind == Component::Slice) {
      out.push_back(static_cast<int>(c.length));
    } else if (c.kind == Component::NewAxis) {
      out.push_back(1);
    } else if (adv && !placed) {
      out.insert(out.end(), p.broadcast.begin(), p.broadcast.end());
      placed = true;
    }
  }
  for (int ax = p.indexed; ax < static_cast<int>(src.ndim()); ++ax) out.push_back(src.shape(ax));
  return out;
}

// Start/stop/stride per axis for mx::slice: slices as given, integers as
// [i, i + 1), arrays (and the unindexed axes) whole.
struct Box {
  mx::Shape start, stop, strides;
  bool whole = true;
};
Box SliceBox(const mx::array& src, const Plan& p, bool arraysWhole) {
  Box b;
  int ndim = static_cast<int>(src.ndim());
  b.start = mx::Shape(ndim, 0);
  b.stop = src.shape();
  b.strides = mx::Shape(ndim, 1);
  int axis = 0;
  for (auto& c : p.comps) {
    if (c.kind == Component::NewAxis) continue;
    int n = src.shape(axis);
    if (c.kind == Component::Slice) {
      b.start[axis] = static_cast<int>(c.first);
      // A negative stride running past index 0 stops "before 0": -n - 1 for MLX.
      int64_t stop = c.first + c.length * c.stride;
      b.stop[axis] = static_cast<int>(c.stride < 0 && stop < 0 ? -n - 1 : stop);
      b.strides[axis] = static_cast<int>(c.stride);
      if (!(c.first == 0 && c.stride == 1 && c.length == n)) b.whole = false;
    } else if (c.kind == Component::Int && !arraysWhole) {
      b.start[axis] = static_cast<int>(c.index);
      b.stop[axis] = static_cast<int>(c.index + 1);
      b.whole = false;
    }
    ++axis;
  }
  return b;
}

std::vector<Component> ParseAll(const Napi::CallbackInfo& info, size_t from) {
  std::vector<Component> comps;
  comps.reserve(info.Length() - from);
  for (size_t i = from; i < info.Length(); ++i) comps.push_back(Parse(info[i]));
  return comps;
}

mx::array Gather(const mx::array& src, const std::vector<Component>& in, const Napi::Env& env) {
  if (in.empty()) return src;
  Plan p = Resolve(src, in, env);
  mx::Shape outShape = ResultShape(src, p);
  if (!p.hasArray) {
    // Integers and slices only: one slice, then drop the integer axes and add the new ones.
    Box b = SliceBox(src, p, false);
    mx::array out = b.whole ? src : mx::slice(src, b.start, b.stop, b.strides);
    return out.shape() == outShape ? out : mx::reshape(out, outShape);
  }
  // Slices first (arrays and integers take their axes whole), then one gather
  // over the advanced axes: [broadcast dims..., the other axes in order].
  Box b = SliceBox(src, p, true);
  mx::array sliced = b.whole ? src : mx::slice(src, b.start, b.stop, b.strides);
  std::vector<mx::array> indices;
  std::vector<int> axes;
  mx::Shape sizes = sliced.shape();
  mx::Shape rest;
  int axis = 0, slicesBefore = 0;
  bool seenAdv = false;
  for (auto& c : p.comps) {
    if (c.kind == Component::NewAxis) continue;
    if (c.kind == Component::Int || c.kind == Component::Array) {
      indices.push_back(c.kind == Component::Int ? mx::array(static_cast<int32_t>(c.index)) : *c.array);
      axes.push_back(axis);
      sizes[axis] = 1;
      seenAdv = true;
    } else {
      rest.push_back(sliced.shape(axis));
      if (!seenAdv) ++slicesBefore;
    }
    ++axis;
  }
  for (int ax = p.indexed; ax < static_cast<int>(sliced.ndim()); ++ax) rest.push_back(sliced.shape(ax));
  indices = mx::broadcast_arrays(indices);
  mx::array g = mx::gather(sliced, indices, axes, sizes);
  mx::Shape squeezed = p.broadcast;
  squeezed.insert(squeezed.end(), rest.begin(), rest.end());
  g = mx::reshape(g, squeezed);
  if (!p.gatherFirst && slicesBefore > 0 && !p.broadcast.empty()) {
    int nb = static_cast<int>(p.broadcast.size());
    std::vector<int> perm;
    for (int i = 0; i < slicesBefore; ++i) perm.push_back(nb + i);
    for (int i = 0; i < nb; ++i) perm.push_back(i);
    for (int i = nb + slicesBefore; i < static_cast<int>(g.ndim()); ++i) perm.push_back(i);
    g = mx::transpose(g, perm);
  }
  return g.shape() == outShape ? g : mx::reshape(g, outShape);
}

// How an update combines with what is there.
enum class Update { Set, Add, Subtract, Multiply, Divide, Maximum, Minimum };

Update ParseUpdate(const std::string& op, const Napi::Env& env) {
  if (op == "set") return Update::Set;
  if (op == "add") return Update::Add;
  if (op == "subtract") return Update::Subtract;
  if (op == "multiply") return Update::Multiply;
  if (op == "divide") return Update::Divide;
  if (op == "maximum") return Update::Maximum;
  if (op == "minimum") return Update::Minimum;
  IndexTypeError(env, "unknown update '" + op + "'.");
}

// Python's update value: leading size-one axes dropped, then broadcast to the
// shape a[idx] has.
mx::array UpdateValue(const mx::array& src, const ArrayOrScalar& value, const mx::Shape& target) {
  mx::array v = to_array(value, src.dtype());
  int lead = 0;
  while (lead < static_cast<int>(v.ndim()) && v.shape(lead) == 1) ++lead;
  if (lead > 0) v = mx::reshape(v, mx::Shape(v.shape().begin() + lead, v.shape().end()));
  return mx::broadcast_to(v, target);
}

mx::array Scatter(const mx::array& src, const std::vector<Component>& in, const ArrayOrScalar& value, Update op,
                  const Napi::Env& env) {
  Plan p = Resolve(src, in, env);
  mx::array v = UpdateValue(src, value, ResultShape(src, p));
  if (op == Update::Subtract) v = mx::negative(v);
  if (op == Update::Divide) v = mx::reciprocal(v);
  if (p.indexed == 0) {  // a[...] = v, a[None] = v
    v = mx::reshape(v, src.shape());
    switch (op) {
      case Update::Set:
        return mx::astype(v, src.dtype());
      case Update::Add:
      case Update::Subtract:
        return mx::add(src, v);
      case Update::Multiply:
      case Update::Divide:
        return mx::multiply(src, v);
      case Update::Maximum:
        return mx::maximum(src, v);
      case Update::Minimum:
        return mx::minimum(src, v);
    }
  }
  if (!p.hasArray) {
    // Integers and slices: one slice update; the value takes the sliced shape.
    Box b = SliceBox(src, p, false);
    mx::Shape boxShape;
    for (int ax = 0; ax < static_cast<int>(src.ndim()); ++ax) {
      int64_t len;
      if (b.strides[ax] > 0)
        len = std::max<int64_t>(0, (int64_t(b.stop[ax]) - b.start[ax] + b.strides[ax] - 1) / b.strides[ax]);
      else {
        int64_t stop = b.stop[ax] < 0 ? -1 : b.stop[ax];
        len = std::max<int64_t>(0, (b.start[ax] - stop + (-b.strides[ax]) - 1) / (-b.strides[ax]));
      }
      boxShape.push_back(static_cast<int>(len));
    }
    v = mx::astype(mx::reshape(v, boxShape), src.dtype());
    switch (op) {
      case Update::Set:
        return mx::slice_update(src, v, b.start, b.stop, b.strides);
      case Update::Add:
      case Update::Subtract:
        return mx::slice_update_add(src, v, b.start, b.stop, b.strides);
      case Update::Multiply:
      case Update::Divide:
        return mx::slice_update_prod(src, v, b.start, b.stop, b.strides);
      case Update::Maximum:
        return mx::slice_update_max(src, v, b.start, b.stop, b.strides);
      case Update::Minimum:
        return mx::slice_update_min(src, v, b.start, b.stop, b.strides);
    }
  }
  // Array indices: every indexed axis gets an index array (slices become
  // aranges on their own dimension) laid out like the result of a[idx].
  int nb = static_cast<int>(p.broadcast.size());
  int nslices = 0, slicesBefore = 0;
  bool seenAdv = false;
  for (auto& c : p.comps) {
    if (c.kind == Component::Slice) {
      ++nslices;
      if (!seenAdv) ++slicesBefore;
    } else if (c.kind != Component::NewAxis) {
      seenAdv = true;
    }
  }
  int D = nb + nslices;
  int groupAt = p.gatherFirst ? 0 : slicesBefore;
  std::vector<mx::array> indices;
  std::vector<int> axes;
  int axis = 0, sliceNo = 0;
  for (auto& c : p.comps) {
    if (c.kind == Component::NewAxis) continue;
    mx::Shape shape(D, 1);
    if (c.kind == Component::Slice) {
      int pos = (p.gatherFirst || sliceNo >= slicesBefore) ? nb + sliceNo : sliceNo;
      ++sliceNo;
      shape[pos] = static_cast<int>(c.length);
      mx::array r = mx::arange(static_cast<double>(c.first), static_cast<double>(c.first + c.length * c.stride),
                               static_cast<double>(c.stride), mx::int32);
      indices.push_back(mx::reshape(r, shape));
    } else {
      mx::array idx = c.kind == Component::Int ? mx::array(static_cast<int32_t>(c.index)) : *c.array;
      int r = static_cast<int>(idx.ndim());
      for (int j = 0; j < r; ++j) shape[groupAt + nb - r + j] = idx.shape(j);
      indices.push_back(mx::reshape(idx, shape));
    }
    axes.push_back(axis++);
  }
  indices = mx::broadcast_arrays(indices);
  mx::Shape updShape = indices[0].shape();
  updShape.insert(updShape.end(), p.indexed, 1);
  for (int ax = p.indexed; ax < static_cast<int>(src.ndim()); ++ax) updShape.push_back(src.shape(ax));
  v = mx::astype(mx::reshape(v, updShape), src.dtype());
  switch (op) {
    case Update::Set:
      return mx::scatter(src, indices, v, axes);
    case Update::Add:
    case Update::Subtract:
      return mx::scatter_add(src, indices, v, axes);
    case Update::Multiply:
    case Update::Divide:
      return mx::scatter_prod(src, indices, v, axes);
    case Update::Maximum:
      return mx::scatter_max(src, indices, v, axes);
    case Update::Minimum:
      return mx::scatter_min(src, indices, v, axes);
  }
  throw std::logic_error("unreachable");
}

// _index(a, ...components) -> a[components]
//
// Reading the components may run JS (accessors of a list or a Slice), which
// may dispose the array: it is therefore read (again) after them, by value.
Napi::Value Index(const Napi::CallbackInfo& info) {
  UnwrapArray(info[0], Arg{"index", "this"});  // not an array: say so first
  auto comps = ParseAll(info, 1);
  mx::array src = UnwrapArray(info[0], Arg{"index", "this"});
  return WrapArray(info.Env(), Gather(src, comps, info.Env()));
}

// Python's a[mask] = v: a boolean mask (a JS boolean, a list of booleans or a
// bool array) whose shape is a leading part of a's shape; the masked
// positions take v's values in order (or v broadcast when it is a scalar).
bool IsBoolList(const Napi::Value& v) {
  Napi::Value x = v;
  while (x.IsArray()) {
    auto a = x.As<Napi::Array>();
    if (a.Length() == 0) return false;
    x = a.Get(uint32_t(0));
  }
  return x.IsBoolean() && v.IsArray();
}

bool IsMask(const Napi::Value& v) {
  return v.IsBoolean() || IsBoolList(v) || (IsArray(v) && UnwrapArray(v, Arg{"set", "index"}).dtype() == mx::bool_);
}

// The mask of a[mask] = v as a bool array (a JS boolean, a list of booleans, a bool array).
mx::array MaskArray(const Napi::Value& maskValue) {
  return IsArray(maskValue)      ? UnwrapArray(maskValue, Arg{"set", "index"})
         : maskValue.IsBoolean() ? mx::array(maskValue.As<Napi::Boolean>().Value())
                                 : mx::astype(ArrayFromJS(maskValue, std::nullopt, "set"), mx::bool_);
}

mx::array MaskedSet(const mx::array& src, mx::array mask, const ArrayOrScalar& value) {
  if (mask.ndim() > src.ndim()) {
    throw std::out_of_range("too many indices for array: the boolean mask has more dimensions than the array.");
  }
  for (size_t i = 0; i < mask.ndim(); ++i) {
    if (mask.shape(i) != src.shape(i)) {
      std::ostringstream os;
      os << "the boolean mask's shape " << mask.shape() << " does not match the array's leading dimensions "
         << src.shape() << ".";
      throw std::out_of_range(os.str());
    }
  }
  mx::Shape expanded = mask.shape();
  expanded.insert(expanded.end(), src.ndim() - mask.ndim(), 1);
  mask = mx::broadcast_to(mx::reshape(mask, expanded), src.shape());
  return mx::masked_scatter(src, mask, to_array(value, src.dtype()));
}

// _update(a, op, value, ...components): a[components] = value updates `a`
// itself (op 'set'); the at() ops return a new array.
Napi::Value UpdateAt(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const Arg self{"set", "this"};
  UnwrapArray(info[0], self);  // not an array: say so first
  Update op = ParseUpdate(Convert<std::string>::from(info[1], Arg{"at", "op"}), env);
  ArrayOrScalar value = Convert<ArrayOrScalar>::from(info[2], Arg{op == Update::Set ? "set" : "at", "value"});
  // As in Index, the array is read by value after anything that may run JS,
  // and an in-place update writes to what the object holds at the end.
  if (info.Length() == 4 && IsMask(info[3])) {
    if (op != Update::Set) IndexTypeError(env, "a boolean mask works with set() only (a.at() takes integer indices).");
    mx::array mask = MaskArray(info[3]);
    mx::array updated = MaskedSet(mx::array(UnwrapArray(info[0], self)), mask, value);
    UnwrapArray(info[0], self) = std::move(updated);
    return env.Undefined();
  }
  auto comps = ParseAll(info, 3);
  mx::array out = Scatter(mx::array(UnwrapArray(info[0], self)), comps, value, op, env);
  if (op == Update::Set) {
    UnwrapArray(info[0], self) = std::move(out);
    return env.Undefined();
  }
  return WrapArray(env, std::move(out));
}

}  // namespace

void CheckIndexValues(const mx::array& indices, int64_t size, int axis, const char* fn) {
  if (!indices.is_available() || !indices.flags().contiguous || indices.size() == 0) return;
  mx::dispatch_int_types(indices.dtype(), "index", [&](auto type_tag) {
    using T = MLX_GET_TYPE(type_tag);
    CheckValues<T>(indices, size, axis, fn);
  });
}

void InitIndexing(Napi::Env, Napi::Object m) {
  DefRaw(m, "_index", Index, "(a: array, ...indices: Index[]): array",
         "a[...indices] (see docs/indexing.md); the array method index() calls it.");
  DefRaw(m, "_update", UpdateAt, "(a: array, op: string, value: ArrayLike, ...indices: Index[]): array | undefined",
         "a[...indices] = value (op 'set', in place) or a.at[...indices].op(value); set()/at() call it.");
}

}  // namespace mlxnode
