// The JS object behind an mx.array: creation, unwrapping, release.
//
// This is the one file that uses V8's API rather than Node-API, because every
// op of every program goes through it (and so do JS lists in and out:
// ListItems / NewList, see convert.h). An mx.array is a V8 object made from a
// FunctionTemplate with two internal fields: a tag (the address of kTag, so
// that no other object is ever taken for an array) and its ArrayBox, which
// owns the mx::array. The box holds a weak handle to the object; V8 calls
// Collected() inside the garbage collection that finds the object dead (minor
// collections too), and the array is freed there and then.
//
// Why not napi_wrap: on Node 20 it costs ~0.7 us per object (a constructor
// call through napi_new_instance, a Reference, a type-tag BigInt), and its
// finalizers run on a later event-loop turn, so a synchronous loop kept every
// array alive until it ended (a sweep over all wrappers bounded that). Here an
// object costs ~0.09 us and a synchronous loop of 3M small ops keeps ~25k
// arrays alive (bench/, DESIGN.md §6). The class's methods and accessors stay
// Node-API functions (array.cc); napi_value and v8::Local<v8::Value> are the
// same handle in Node's Node-API implementation (V8LocalValueFromJsValue).
#include <v8.h>

#include <cstring>
#include <string>
#include <string_view>

#include "array_object.h"
#include "bind.h"
#include "mlx/primitives.h"

namespace mlxnode {

namespace {

const int kTag = 0;  // its address marks our objects' first internal field
enum Field { kTagField = 0, kBoxField = 1, kFieldCount = 2 };

inline v8::Local<v8::Value> ToV8(napi_value v) {
  static_assert(sizeof(v8::Local<v8::Value>) == sizeof(napi_value));
  v8::Local<v8::Value> local;
  std::memcpy(static_cast<void*>(&local), &v, sizeof v);
  return local;
}

inline napi_value ToNapi(v8::Local<v8::Value> local) {
  napi_value v;
  std::memcpy(&v, static_cast<void*>(&local), sizeof v);
  return v;
}

// The result of a V8 call that may run JS (a getter, a Proxy trap): what the
// JS threw, which the caller's TryCatch caught, becomes a Napi::Error.
template <typename T>
v8::Local<T> Checked(v8::MaybeLocal<T> result, const v8::TryCatch& caught, Napi::Env env) {
  v8::Local<T> out;
  if (!result.ToLocal(&out)) throw Napi::Error(env, ToNapi(caught.Exception()));
  return out;
}

}  // namespace

struct ArrayBox {
  std::optional<mx::array> arr;
  int64_t reported = 0;  // bytes reported to V8 as external memory
  v8::Global<v8::Object> self;
  ArrayClass* cls = nullptr;
  ArrayBox* prev = nullptr;  // every live box of the environment, for teardown
  ArrayBox* next = nullptr;
};

// One per environment (AddonData::arrayClass).
struct ArrayClass {
  // What every array's creation and release touch, first (in the same few
  // cache lines; the keys below are read by argument conversion only).
  v8::Isolate* isolate = nullptr;
  v8::Global<v8::ObjectTemplate> instance;
  ArrayBox head;  // sentinel of the list of live boxes
  // Bytes of arrays freed inside a garbage collection, told to V8 at the next
  // creation (a weak callback must not call into V8).
  int64_t releasedInGC = 0;
  // Boxes of collected arrays, reused (a malloc/free pair less per op).
  std::vector<ArrayBox*> spare;
  // Internalized property names read on hot paths (ReadSlice, IsComplexLiteral).
  v8::Global<v8::String> sliceMark, start, stop, step, re, im;
  // The parameter names of the bindings, as options keys (Param::keySlot).
  std::vector<v8::Global<v8::String>> optionKeys;
  // Object.keys as it was at load: V8's builtin lists an object's keys from
  // its map's cache, where v8::Object::GetOwnPropertyNames collects them one
  // by one into a new hash set (3x the cost, measured, for {axis: 0}).
  v8::Global<v8::Function> objectKeys;
  v8::Global<v8::Value> objectPrototype;  // Object.prototype as it was at load
  // The 14 Dtype objects (AddonData::dtypes), told apart by identity.
  v8::Global<v8::Value> dtypes[14];
  static constexpr size_t kMaxSpare = 1 << 16;

  ArrayClass() { head.prev = head.next = &head; }
  ~ArrayClass() {
    // The environment is being torn down: free what the GC has not.
    while (head.next != &head) {
      ArrayBox* box = head.next;
      Unlink(box);
      box->self.Reset();
      delete box;
    }
    for (ArrayBox* box : spare) delete box;
  }
  ArrayBox* NewBox() {
    if (spare.empty()) return new ArrayBox();
    ArrayBox* box = spare.back();
    spare.pop_back();
    return box;
  }
  void FreeBox(ArrayBox* box) {
    box->arr.reset();
    if (spare.size() < kMaxSpare) {
      spare.push_back(box);
    } else {
      delete box;
    }
  }
  void Link(ArrayBox* box) {
    box->prev = &head;
    box->next = head.next;
    head.next->prev = box;
    head.next = box;
  }
  static void Unlink(ArrayBox* box) {
    box->prev->next = box->next;
    box->next->prev = box->prev;
  }
  void Report(int64_t bytes) {
    int64_t delta = bytes - std::exchange(releasedInGC, 0);
    if (delta) isolate->AdjustAmountOfExternalAllocatedMemory(delta);
  }
};

namespace {

thread_local int releasingInGC = 0;

void Collected(const v8::WeakCallbackInfo<ArrayBox>& info) {
  ArrayBox* box = info.GetParameter();
  box->self.Reset();
  box->cls->releasedInGC += box->reported;
  ArrayClass::Unlink(box);
  ++releasingInGC;
  box->cls->FreeBox(box);  // frees the array (its graph, and its data unless shared)
  --releasingInGC;
}

// The bytes to report to V8 for a new array: what it will hold once
// evaluated, except for the ops whose result is a view of their input
// (slicing, reshaping, broadcasting, transposing...), which allocate nothing
// (reporting those made a chain of 20,000 slices of 80 KB look like 1.6 GB
// and ran a full collection every few hundred ops).
int64_t ReportedBytes(const mx::array& a) {
  const int64_t nbytes = static_cast<int64_t>(a.nbytes());
  // Small arrays are reported as they are: miscounting a view of a few KiB
  // does not move V8's limits, and the check below is not free per op.
  if (nbytes < (int64_t(16) << 10)) return nbytes;
  if (a.has_primitive()) {
    static constexpr std::string_view kViews[] = {
        "Slice",     "Reshape", "Broadcast", "BroadcastAxes", "Transpose", "Squeeze", "ExpandDims",
        "AsStrided", "Flatten", "Unflatten", "StopGradient",  "Real",      "Imag"};
    const std::string_view name = a.primitive().name();
    if (name.starts_with("View")) return 0;  // "View" plus the dtype
    for (std::string_view view : kViews) {
      if (name == view) return 0;
    }
  }
  return nbytes;
}

ArrayBox* BoxOf(napi_value value) {
  v8::Local<v8::Value> v = ToV8(value);
  if (v.IsEmpty() || !v->IsObject()) return nullptr;
  v8::Local<v8::Object> o = v.As<v8::Object>();
  if (o->InternalFieldCount() != kFieldCount || o->GetAlignedPointerFromInternalField(kTagField) != &kTag) {
    return nullptr;
  }
  return static_cast<ArrayBox*>(o->GetAlignedPointerFromInternalField(kBoxField));
}

}  // namespace

Napi::Function InitArrayClass(Napi::Env env, const char* name) {
  // Built against another V8 than the one running it: the object layout may
  // differ, so refuse to load rather than crash.
  const std::string built = std::to_string(V8_MAJOR_VERSION) + "." + std::to_string(V8_MINOR_VERSION) + ".";
  if (std::string(v8::V8::GetVersion()).rfind(built, 0) != 0) {
    throw Napi::Error::New(env, "mlx-node was built against V8 " + built + "x but runs on V8 " + v8::V8::GetVersion() +
                                    " (another Node.js version): rebuild it with `npm run build`.");
  }
  v8::Isolate* isolate = v8::Isolate::GetCurrent();
  auto cls = std::make_shared<ArrayClass>();
  cls->isolate = isolate;
  // Arrays are made by WrapArray only; the JS constructor (lib/core.ts) calls
  // a native function, so this one refuses direct calls.
  v8::Local<v8::FunctionTemplate> ft =
      v8::FunctionTemplate::New(isolate, [](const v8::FunctionCallbackInfo<v8::Value>& info) {
        v8::Isolate* iso = info.GetIsolate();
        iso->ThrowException(v8::Exception::TypeError(
            v8::String::NewFromUtf8Literal(iso, "mx.array: construct arrays with mx.array(val, dtype).")));
      });
  ft->SetClassName(v8::String::NewFromUtf8(isolate, name).ToLocalChecked());
  ft->InstanceTemplate()->SetInternalFieldCount(kFieldCount);
  cls->instance.Reset(isolate, ft->InstanceTemplate());
  auto key = [&](v8::Global<v8::String>& slot, const char* text) {
    slot.Reset(isolate, v8::String::NewFromUtf8(isolate, text, v8::NewStringType::kInternalized).ToLocalChecked());
  };
  key(cls->sliceMark, "__mlxSlice__");
  key(cls->start, "start");
  key(cls->stop, "stop");
  key(cls->step, "step");
  key(cls->re, "re");
  key(cls->im, "im");
  Napi::Object object = env.Global().Get("Object").As<Napi::Object>();
  cls->objectKeys.Reset(isolate, ToV8(object.Get("keys")).As<v8::Function>());
  cls->objectPrototype.Reset(isolate, ToV8(object.Get("prototype")));
  for (int i = 0; i < 14; ++i) {
    // InitDtype runs first (addon.cc).
    if (Data(env).dtypes[i].IsEmpty()) throw std::logic_error("InitArrayClass: the Dtype objects are not made yet");
    cls->dtypes[i].Reset(isolate, ToV8(Data(env).dtypes[i].Value()));
  }
  v8::Local<v8::Function> fn = ft->GetFunction(isolate->GetCurrentContext()).ToLocalChecked();
  Data(env).arrayClass = std::move(cls);
  return Napi::Function(env, ToNapi(fn));
}

Napi::Value WrapArray(Napi::Env env, mx::array a) {
  AddonData& data = Data(env);
  ArrayClass& cls = *data.arrayClass;
  v8::Isolate* isolate = cls.isolate;
  v8::Local<v8::Object> obj;
  if (!cls.instance.Get(isolate)->NewInstance(isolate->GetCurrentContext()).ToLocal(&obj)) {
    throw Napi::Error::New(env);  // an exception is pending (out of memory)
  }
  ArrayBox* box = cls.NewBox();
  box->reported = ReportedBytes(a);
  box->arr.emplace(std::move(a));
  box->cls = &cls;
  obj->SetAlignedPointerInInternalField(kTagField, const_cast<int*>(&kTag));
  obj->SetAlignedPointerInInternalField(kBoxField, box);
  box->self.Reset(isolate, obj);
  box->self.SetWeak(box, Collected, v8::WeakCallbackType::kParameter);
  cls.Link(box);
  if (box->reported || cls.releasedInGC) cls.Report(box->reported);
  Napi::Value out(env, ToNapi(obj));
  if (!data.creationHook.IsEmpty()) data.creationHook.Call({out});
  return out;
}

bool IsArray(const Napi::Value& v) { return BoxOf(v) != nullptr; }

bool ReleasingInGC() { return releasingInGC > 0; }

napi_valuetype TypeOf(const Napi::Value& value) {
  v8::Local<v8::Value> v = ToV8(value);
  // napi_typeof's answers; objects (arrays, options) and numbers first.
  if (v.IsEmpty() || v->IsUndefined()) return napi_undefined;
  if (v->IsNull()) return napi_null;
  if (v->IsObject()) {
    if (v->IsFunction()) return napi_function;
    return v->IsExternal() ? napi_external : napi_object;
  }
  if (v->IsNumber()) return napi_number;
  if (v->IsString()) return napi_string;
  if (v->IsBoolean()) return napi_boolean;
  if (v->IsBigInt()) return napi_bigint;
  return napi_symbol;
}

// Called on the last argument of every call (is it the options object?): an
// object whose prototype is Object.prototype or null. (Arrays, typed arrays,
// dates, promises, class instances, mx.arrays all have other prototypes.)
bool IsPlainObject(const Napi::Value& value) {
  v8::Local<v8::Value> v = ToV8(value);
  if (v.IsEmpty() || !v->IsObject() || v->IsFunction() || v->IsArray() || v->IsArrayBufferView()) return false;
  v8::Local<v8::Object> o = v.As<v8::Object>();
  if (o->InternalFieldCount() != 0) return false;  // mx.array and other native objects
  ArrayClass& cls = *Data(value.Env()).arrayClass;
  // V8 13 renamed the accessor (the old name is deprecated, then removed).
#if V8_MAJOR_VERSION >= 13
  v8::Local<v8::Value> proto = o->GetPrototypeV2();
#else
  v8::Local<v8::Value> proto = o->GetPrototype();
#endif
  return proto->IsNull() || proto == cls.objectPrototype.Get(cls.isolate);
}

bool ReadSlice(const Napi::Value& value, napi_value parts[3]) {
  v8::Local<v8::Value> v = ToV8(value);
  if (v.IsEmpty() || !v->IsObject()) return false;
  v8::Local<v8::Object> o = v.As<v8::Object>();
  ArrayClass& cls = *Data(value.Env()).arrayClass;
  v8::Isolate* isolate = cls.isolate;
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  v8::TryCatch caught(isolate);  // a getter may throw
  auto get = [&](const v8::Global<v8::String>& key) {
    return Checked(o->Get(context, key.Get(isolate)), caught, value.Env());
  };
  if (!get(cls.sliceMark)->IsTrue()) return false;
  parts[0] = ToNapi(get(cls.start));
  parts[1] = ToNapi(get(cls.stop));
  parts[2] = ToNapi(get(cls.step));
  return true;
}

namespace {
v8::Local<v8::String> OptionKey(ArrayClass& cls, const Param& p) {
  if (p.keySlot < 0) {
    p.keySlot = static_cast<int>(cls.optionKeys.size());
    cls.optionKeys.emplace_back(
        cls.isolate, v8::String::NewFromUtf8(cls.isolate, p.name, v8::NewStringType::kInternalized).ToLocalChecked());
  }
  return cls.optionKeys[p.keySlot].Get(cls.isolate);
}
}  // namespace

bool OptionKeysKnown(const Napi::Value& obj, const std::vector<Param>& params, size_t skip, uint64_t* present,
                     std::string* unknown) {
  ArrayClass& cls = *Data(obj.Env()).arrayClass;
  v8::Isolate* isolate = cls.isolate;
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  v8::Local<v8::Value> o = ToV8(obj);
  v8::TryCatch caught(isolate);  // a Proxy's ownKeys trap may throw
  v8::Local<v8::Array> list =
      Checked(cls.objectKeys.Get(isolate)->Call(context, v8::Undefined(isolate), 1, &o), caught, obj.Env())
          .As<v8::Array>();
  *present = 0;
  for (uint32_t k = 0, n = list->Length(); k < n; ++k) {
    v8::Local<v8::Value> key = Checked(list->Get(context, k), caught, obj.Env());
    size_t i = 0;
    // Keys and names are internalized strings: equal strings are one object.
    while (i < params.size() && (i == skip || !OptionKey(cls, params[i])->StringEquals(key.As<v8::String>()))) ++i;
    if (i == params.size()) {
      *unknown = *v8::String::Utf8Value(isolate, key);
      return false;
    }
    if (i < 64) *present |= uint64_t{1} << i;
  }
  return true;
}

Napi::Value OptionValue(const Napi::Value& obj, const Param& param) {
  ArrayClass& cls = *Data(obj.Env()).arrayClass;
  v8::Isolate* isolate = cls.isolate;
  v8::TryCatch caught(isolate);  // a getter may throw
  v8::MaybeLocal<v8::Value> out = ToV8(obj).As<v8::Object>()->Get(isolate->GetCurrentContext(), OptionKey(cls, param));
  return Napi::Value(obj.Env(), ToNapi(Checked(out, caught, obj.Env())));
}

bool IsComplexLiteral(const Napi::Value& value) {
  v8::Local<v8::Value> v = ToV8(value);
  if (v.IsEmpty() || !v->IsObject() || v->IsFunction() || v->IsExternal() || v->IsArray() || v->IsArrayBufferView()) {
    return false;
  }
  v8::Local<v8::Object> o = v.As<v8::Object>();
  if (o->InternalFieldCount() != 0) return false;  // mx.array
  ArrayClass& cls = *Data(value.Env()).arrayClass;
  v8::Isolate* isolate = cls.isolate;
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  v8::TryCatch caught(isolate);  // a getter or Proxy trap may throw
  auto number = [&](const v8::Global<v8::String>& key) {
    return Checked(o->Get(context, key.Get(isolate)), caught, value.Env())->IsNumber();
  };
  return number(cls.re) && number(cls.im);
}

int DtypeIndex(const Napi::Value& value) {
  v8::Local<v8::Value> v = ToV8(value);
  if (v.IsEmpty() || !v->IsObject()) return -1;
  const ArrayClass& cls = *Data(value.Env()).arrayClass;
  for (int i = 0; i < 14; ++i) {
    if (cls.dtypes[i] == v) return i;
  }
  return -1;
}

double NumberValue(const Napi::Value& v) { return ToV8(v).As<v8::Number>()->Value(); }

void ListItems(const Napi::Value& list, JsValues& out) {
  v8::Local<v8::Array> a = ToV8(list).As<v8::Array>();
  v8::Isolate* isolate = Data(list.Env()).arrayClass->isolate;
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  const uint32_t n = a->Length();
  out.resize(n);
  v8::TryCatch caught(isolate);  // an accessor on an index may throw
  for (uint32_t i = 0; i < n; ++i) out[i] = ToNapi(Checked(a->Get(context, i), caught, list.Env()));
}

Napi::Value NewList(Napi::Env env, const napi_value* items, size_t n) {
  // napi_value and Local<Value> have the same representation (ToV8 above).
  const auto* locals = reinterpret_cast<const v8::Local<v8::Value>*>(items);
  v8::Local<v8::Array> list =
      v8::Array::New(Data(env).arrayClass->isolate, const_cast<v8::Local<v8::Value>*>(locals), n);
  return Napi::Value(env, ToNapi(list));
}

int64_t V8ExternalMemory(Napi::Env env) {
  ArrayClass& cls = *Data(env).arrayClass;
  cls.Report(0);
  return cls.isolate->AdjustAmountOfExternalAllocatedMemory(0);
}

std::optional<mx::array>* ArraySlot(const Napi::Value& v) {
  ArrayBox* box = BoxOf(v);
  return box ? &box->arr : nullptr;
}

void DisposeArray(const Napi::Value& v) {
  ArrayBox* box = BoxOf(v);
  if (!box || !box->arr) return;
  box->arr.reset();
  box->cls->Report(-std::exchange(box->reported, 0));
}

mx::array* TryUnwrapArray(const Napi::Value& v, const Arg& arg) {
  ArrayBox* box = BoxOf(v);
  if (!box) return nullptr;
  if (!box->arr) throw Napi::Error::New(v.Env(), std::string(arg.fn) + "(): the array has been disposed.");
  return &*box->arr;
}

mx::array& UnwrapArray(const Napi::Value& v, const Arg& arg) {
  mx::array* a = TryUnwrapArray(v, arg);
  if (!a) ThrowArgTypeError(v, arg, "an mx.array");
  return *a;
}

}  // namespace mlxnode
