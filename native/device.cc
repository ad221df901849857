// Devices and streams: DeviceType (mx.cpu, mx.gpu), Device, Stream,
// ThreadLocalStream, the default device/stream functions, and the backends'
// availability (mx.cuda, mx.metal).
#include <sstream>

#include "bind.h"
#include "mlx/backend/cuda/cuda.h"
#include "mlx/backend/metal/metal.h"
#include "wrap.h"

namespace mlxnode {

namespace {

// A stream and whether it is Python's ThreadLocalStream.
struct StreamVal {
  mx::Stream s;
  bool threadLocal;
};

using DeviceTypeWrap = ValueWrap<mx::Device::DeviceType, &kDeviceTypeTag>;
using DeviceWrap = ValueWrap<mx::Device, &kDeviceTag>;
using StreamWrap = ValueWrap<StreamVal, &kStreamTag>;

const char* TypeName(mx::Device::DeviceType t) { return t == mx::Device::DeviceType::cpu ? "cpu" : "gpu"; }

std::string DeviceRepr(const mx::Device& d) {
  std::ostringstream os;
  os << d;
  return os.str();
}

std::string StreamRepr(const StreamVal& v) {
  std::ostringstream os;
  os << (v.threadLocal ? "ThreadLocalStream(" : "Stream(") << v.s.device << ", " << v.s.index << ")";
  return os.str();
}

Napi::Value WrapStream(Napi::Env env, const mx::Stream& s, bool threadLocal) {
  auto& ctor = threadLocal ? Data(env).threadLocalStreamCtor : Data(env).streamCtor;
  return StreamWrap::New(ctor, StreamVal{s, threadLocal});
}

}  // namespace

mx::Device::DeviceType Convert<mx::Device::DeviceType>::from(const Napi::Value& v, const Arg& arg) {
  if (!HasTag(v, kDeviceTypeTag)) ThrowArgTypeError(v, arg, "a DeviceType (mx.cpu, mx.gpu)");
  return DeviceTypeWrap::Get(v);
}
Napi::Value Convert<mx::Device::DeviceType>::to(Napi::Env env, mx::Device::DeviceType t) {
  return Data(env).deviceTypes[t == mx::Device::DeviceType::cpu ? 0 : 1].Value();
}
mx::Device Convert<mx::Device>::from(const Napi::Value& v, const Arg& arg) {
  if (HasTag(v, kDeviceTag)) return DeviceWrap::Get(v);
  if (HasTag(v, kDeviceTypeTag)) return mx::Device(DeviceTypeWrap::Get(v));
  ThrowArgTypeError(v, arg, "a Device or DeviceType (mx.cpu, mx.gpu)");
}
Napi::Value Convert<mx::Device>::to(Napi::Env env, const mx::Device& d) {
  return DeviceWrap::New(Data(env).deviceCtor, d);
}
mx::Stream Convert<mx::Stream>::from(const Napi::Value& v, const Arg& arg) {
  if (!HasTag(v, kStreamTag)) ThrowArgTypeError(v, arg, "a Stream");
  return StreamWrap::Get(v).s;
}
Napi::Value Convert<mx::Stream>::to(Napi::Env env, const mx::Stream& s) { return WrapStream(env, s, false); }
mx::StreamOrDevice Convert<mx::StreamOrDevice>::from(const Napi::Value& v, const Arg& arg) {
  if (IsNullish(v)) return std::monostate{};
  if (HasTag(v, kStreamTag)) {
    auto& sv = StreamWrap::Get(v);
    if (sv.threadLocal) return mx::ThreadLocalStream(sv.s.index, sv.s.device);
    return sv.s;
  }
  if (HasTag(v, kDeviceTag)) return DeviceWrap::Get(v);
  if (HasTag(v, kDeviceTypeTag)) return DeviceTypeWrap::Get(v);
  ThrowArgTypeError(v, arg, "a Stream, a Device or a DeviceType (mx.cpu, mx.gpu)");
}

// The stream an argument names, for functions that take a Stream where Python
// takes any StreamOrDevice (synchronize, setDefaultStream).
static mx::Stream ResolveStream(const mx::StreamOrDevice& s) { return mx::to_stream(s); }

void InitDevice(Napi::Env env, Napi::Object m) {
  AddonData& data = Data(env);

  // DeviceType: two frozen singletons, also exported as mx.cpu and mx.gpu.
  Napi::Function typeClass = DeviceTypeWrap::DefineClass(
      env, "DeviceType",
      {DeviceTypeWrap::Getter("name",
                              [](const Napi::CallbackInfo& info, mx::Device::DeviceType& t) -> Napi::Value {
                                return Napi::String::New(info.Env(), TypeName(t));
                              }),
       DeviceTypeWrap::Method("toString", [](const Napi::CallbackInfo& info, mx::Device::DeviceType& t) -> Napi::Value {
         return Napi::String::New(info.Env(), std::string("DeviceType.") + TypeName(t));
       })});
  Napi::FunctionReference typeCtor = Napi::Persistent(typeClass);
  for (int i = 0; i < 2; ++i) {
    auto t = i == 0 ? mx::Device::DeviceType::cpu : mx::Device::DeviceType::gpu;
    Napi::Object o = DeviceTypeWrap::New(typeCtor, t);
    o.Freeze();
    data.deviceTypes[i] = Napi::Persistent(o);
    typeClass.Set(TypeName(t), o);
    m.Set(TypeName(t), o);
  }
  m.Set("DeviceType", typeClass);

  // Device(type, index = 0)
  static const DeviceWrap::Maker makeDevice = [](const Napi::CallbackInfo& info) {
    auto t = Convert<mx::Device::DeviceType>::from(info[0], Arg{"Device", "type"});
    int index = info.Length() > 1 && !info[1].IsUndefined() ? Convert<int>::from(info[1], Arg{"Device", "index"}) : 0;
    return mx::Device(t, index);
  };
  Napi::Function deviceClass = DeviceWrap::DefineClass(
      env, "Device",
      {DeviceWrap::Getter("type",
                          [](const Napi::CallbackInfo& info, mx::Device& d) {
                            return Convert<mx::Device::DeviceType>::to(info.Env(), d.type);
                          }),
       DeviceWrap::Method("toString",
                          [](const Napi::CallbackInfo& info, mx::Device& d) -> Napi::Value {
                            return Napi::String::New(info.Env(), DeviceRepr(d));
                          }),
       DeviceWrap::Method("equals",
                          [](const Napi::CallbackInfo& info, mx::Device& d) -> Napi::Value {
                            bool eq = Convert<mx::Device>::is(info[0]) &&
                                      Convert<mx::Device>::from(info[0], Arg{"Device.equals", "other"}) == d;
                            return Napi::Boolean::New(info.Env(), eq);
                          })},
      reinterpret_cast<void*>(makeDevice));
  data.deviceCtor = Napi::Persistent(deviceClass);
  m.Set("Device", deviceClass);

  // Stream and ThreadLocalStream: made only by the stream functions.
  auto streamProps = [](bool) {
    return std::vector<Napi::ClassPropertyDescriptor<StreamWrap>>{
        StreamWrap::Getter("device", [](const Napi::CallbackInfo& info,
                                        StreamVal& v) { return Convert<mx::Device>::to(info.Env(), v.s.device); }),
        StreamWrap::Getter("index",
                           [](const Napi::CallbackInfo& info, StreamVal& v) -> Napi::Value {
                             return Napi::Number::New(info.Env(), v.s.index);
                           }),
        StreamWrap::Method("toString",
                           [](const Napi::CallbackInfo& info, StreamVal& v) -> Napi::Value {
                             return Napi::String::New(info.Env(), StreamRepr(v));
                           }),
        StreamWrap::Method("equals", [](const Napi::CallbackInfo& info, StreamVal& v) -> Napi::Value {
          bool eq = HasTag(info[0], kStreamTag) && StreamWrap::Get(info[0]).s == v.s &&
                    StreamWrap::Get(info[0]).threadLocal == v.threadLocal;
          return Napi::Boolean::New(info.Env(), eq);
        })};
  };
  Napi::Function streamClass = StreamWrap::DefineClass(env, "Stream", streamProps(false));
  data.streamCtor = Napi::Persistent(streamClass);
  m.Set("Stream", streamClass);
  Napi::Function tlsClass = StreamWrap::DefineClass(env, "ThreadLocalStream", streamProps(true));
  data.threadLocalStreamCtor = Napi::Persistent(tlsClass);
  m.Set("ThreadLocalStream", tlsClass);

  // ---- functions ----
  Def(m, "defaultDevice", []() { return mx::default_device(); }, {}, "Get the default device.");
  Def(m, "setDefaultDevice", [](mx::Device d) { mx::set_default_device(d); }, {"device"_a}, "Set the default device.");
  Def(
      m, "isAvailable", [](mx::Device d) { return mx::is_available(d); }, {"device"_a},
      "Check if a back-end is available for the given device.");
  Def(
      m, "deviceCount", [](mx::Device::DeviceType t) { return mx::device_count(t); }, {"deviceType"_a},
      "Get the number of available devices for the given device type.");
  DefRaw(
      m, "deviceInfo",
      [](const Napi::CallbackInfo& info) -> Napi::Value {
        Napi::Env env = info.Env();
        mx::Device d = info.Length() > 0 && !info[0].IsUndefined() && !info[0].IsNull()
                           ? Convert<mx::Device>::from(info[0], Arg{"deviceInfo", "d"})
                           : mx::default_device();
        Napi::Object out = Napi::Object::New(env);
        for (auto& [k, v] : mx::device_info(d)) {
          if (auto s = std::get_if<std::string>(&v))
            out.Set(k, *s);
          else
            out.Set(k, Convert<size_t>::to(env, std::get<size_t>(v)));
        }
        return out;
      },
      "(d?: Device | DeviceType | null): Record<string, string | number>", "Get information about a device.");

  Def(
      m, "defaultStream", [](mx::Device d) { return mx::default_stream(d); }, {"device"_a},
      "Get the device's default stream.");
  Def(
      m, "setDefaultStream", [](mx::Stream s) { mx::set_default_stream(s); }, {"stream"_a},
      "Set the default stream (for its device; the default device is unchanged).");
  Def(
      m, "newStream", [](mx::Device d) { return mx::new_stream(d); }, {"device"_a},
      "Make a new stream on the given device.");
  Def(
      m, "newThreadUnsafeStream", [](mx::Device d) { return mx::new_thread_unsafe_stream(d); }, {"device"_a},
      "Make a new stream that can be used in any thread.");
  DefRaw(
      m, "newThreadLocalStream",
      [](const Napi::CallbackInfo& info) -> Napi::Value {
        mx::Device d = Convert<mx::Device>::from(info[0], Arg{"newThreadLocalStream", "device"});
        mx::ThreadLocalStream s = mx::new_thread_local_stream(d);
        return WrapStream(info.Env(), s, true);
      },
      "(device: Device | DeviceType): ThreadLocalStream", "Make a new stream that will be unique per thread.");
  Def(
      m, "synchronize",
      [](mx::StreamOrDevice s) {
        if (std::holds_alternative<std::monostate>(s))
          mx::synchronize();
        else
          mx::synchronize(ResolveStream(s));
      },
      {"stream"_a = none}, "Synchronize with the given stream (the default stream when omitted).");
  Def(m, "clearStreams", []() { mx::clear_streams(); }, {}, "Destroy all streams created in the current thread.");

  // The scoped default (Python's `with mx.stream(s):`), as an enter/exit pair
  // that lib/core.ts wraps into stream(s, fn) and a disposable.
  Def(
      m, "_streamEnter",
      [](mx::StreamOrDevice s) {
        if (std::holds_alternative<std::monostate>(s)) {
          throw std::invalid_argument("[StreamContext] Invalid argument, please specify a stream or device.");
        }
        mx::Stream previous = mx::default_stream(mx::default_device());
        mx::Stream next = mx::to_stream(s);
        mx::set_default_device(next.device);
        mx::set_default_stream(next);
        return previous;
      },
      {"s"_a}, "Make s the default; returns the stream to restore.");
  Def(
      m, "_streamExit",
      [](mx::Stream previous) {
        mx::set_default_device(previous.device);
        mx::set_default_stream(previous);
      },
      {"previous"_a}, "Restore the default saved by _streamEnter.");

  Napi::Object cuda = Napi::Object::New(env);
  Def(cuda, "isAvailable", []() { return mx::cu::is_available(); }, {}, "Whether the CUDA back-end is available.");
  m.Set("cuda", cuda);
  Napi::Object metal = Napi::Object::New(env);
  Def(metal, "isAvailable", []() { return mx::metal::is_available(); }, {}, "Whether the Metal back-end is available.");
  Def(
      metal, "startCapture", [](std::string path) { mx::metal::start_capture(path); }, {"path"_a},
      "Start a Metal GPU capture into path (Metal only).");
  Def(metal, "stopCapture", []() { mx::metal::stop_capture(); }, {}, "Stop the Metal GPU capture (Metal only).");
  m.Set("metal", metal);
}

}  // namespace mlxnode
