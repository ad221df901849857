// mlx.core.distributed: groups and the collective operations. Without a
// communication backend (a single process), init() gives a group of size 1 and
// the collectives are the identity, as in Python.
#include "mlx/distributed/distributed.h"
#include "bind.h"
#include "mlx/distributed/ops.h"
#include "wrap.h"

namespace mlxnode {

namespace dist = mx::distributed;

const napi_type_tag kGroupTag = {0x6d6c786e6f646507ULL, 0x6f708192a3b4c5d6ULL};
using GroupWrap = ValueWrap<dist::Group, &kGroupTag>;

template <>
struct Convert<dist::Group> {
  static bool is(const Napi::Value& v) { return HasTag(v, kGroupTag); }
  static dist::Group from(const Napi::Value& v, const Arg& arg) {
    if (!is(v)) ThrowArgTypeError(v, arg, "a distributed Group");
    return GroupWrap::Get(v);
  }
  static Napi::Value to(Napi::Env env, const dist::Group& g) { return GroupWrap::New(Data(env).groupCtor, g); }
  static std::string ts() { return "Group"; }
};

namespace {

using Collective = mx::array (*)(const mx::array&, std::optional<dist::Group>, mx::StreamOrDevice);
template <Collective Op>
void DefCollective(Napi::Object m, const char* name, const char* doc) {
  Def(
      m, name,
      [](const mx::array& x, std::optional<dist::Group> group, mx::StreamOrDevice s) { return Op(x, group, s); },
      {"x"_a, "group"_a = none, "stream"_a = none}, doc);
}

}  // namespace

void InitDistributed(Napi::Env env, Napi::Object exports) {
  Napi::Object m = Napi::Object::New(env);
  exports.Set("distributed", m);
  Napi::Function group = GroupWrap::DefineClass(
      env, "Group",
      {
          GroupWrap::Method("rank",
                            [](const Napi::CallbackInfo& info, dist::Group& g) -> Napi::Value {
                              return Napi::Number::New(info.Env(), g.rank());
                            }),
          GroupWrap::Method("size",
                            [](const Napi::CallbackInfo& info, dist::Group& g) -> Napi::Value {
                              return Napi::Number::New(info.Env(), g.size());
                            }),
          GroupWrap::Method("split",
                            [](const Napi::CallbackInfo& info, dist::Group& g) -> Napi::Value {
                              int color = Convert<int>::from(info[0], Arg{"split", "color"});
                              int key = info.Length() > 1 ? Convert<int>::from(info[1], Arg{"split", "key"}) : -1;
                              return Convert<dist::Group>::to(info.Env(), g.split(color, key));
                            }),
      });
  Data(env).groupCtor = Napi::Persistent(group);
  m.Set("Group", group);

  Def(
      m, "isAvailable",
      [](std::optional<std::string> backend) { return backend ? dist::is_available(*backend) : dist::is_available(); },
      {"backend"_a = none}, "Whether a communication backend is available.");
  Def(
      m, "init", [](bool strict, std::string backend) { return dist::init(strict, backend); },
      {"strict"_a = false, "backend"_a = "any"}, "The global group (size 1 without a backend unless strict).");
  DefCollective<&dist::all_sum>(m, "allSum", "Sum of x across the group.");
  DefCollective<&dist::all_max>(m, "allMax", "Maximum of x across the group.");
  DefCollective<&dist::all_min>(m, "allMin", "Minimum of x across the group.");
  DefCollective<&dist::all_gather>(m, "allGather", "x of every process, concatenated on axis 0.");
  DefCollective<&dist::sum_scatter>(m, "sumScatter", "Sum across the group, scattered along axis 0.");
  Def(
      m, "send",
      [](const mx::array& x, int dst, std::optional<dist::Group> group, mx::StreamOrDevice s) {
        return dist::send(x, dst, group, s);
      },
      {"x"_a, "dst"_a, "group"_a = none, "stream"_a = none}, "Send x to process dst.");
  Def(
      m, "recv",
      [](mx::Shape shape, mx::Dtype dtype, int src, std::optional<dist::Group> group, mx::StreamOrDevice s) {
        return dist::recv(shape, dtype, src, group, s);
      },
      {"shape"_a, "dtype"_a, "src"_a, "group"_a = none, "stream"_a = none}, "Receive an array from process src.");
  Def(
      m, "recvLike",
      [](const mx::array& x, int src, std::optional<dist::Group> group, mx::StreamOrDevice s) {
        return dist::recv_like(x, src, group, s);
      },
      {"x"_a, "src"_a, "group"_a = none, "stream"_a = none},
      "Receive an array shaped and typed like x from process src.");
}

}  // namespace mlxnode
