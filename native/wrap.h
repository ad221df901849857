// A small wrapper class for MLX value types (Dtype, DtypeCategory,
// DeviceType, Device, Stream): holds a copy of the C++ value, carries a type
// tag so that unwrapping is checked, and cannot be constructed from JS except
// where the class allows it (Make).
#pragma once

#include "convert.h"

namespace mlxnode {

template <typename T, const napi_type_tag* Tag>
class ValueWrap : public Napi::ObjectWrap<ValueWrap<T, Tag>> {
 public:
  using Base = Napi::ObjectWrap<ValueWrap<T, Tag>>;
  // Builds the T for `new Class(...)` from JS; null means "not constructible".
  using Maker = T (*)(const Napi::CallbackInfo&);

  explicit ValueWrap(const Napi::CallbackInfo& info) : Base(info) {
    Napi::Env env = info.Env();
    napi_type_tag_object(env, info.This(), Tag);
    if (info.Length() == 1 && info[0].IsExternal()) {
      value.emplace(*info[0].As<Napi::External<T>>().Data());
      return;
    }
    Maker make = reinterpret_cast<Maker>(info.Data());
    if (!make) throw Napi::TypeError::New(env, "this class cannot be constructed directly.");
    try {
      value.emplace(make(info));
    } catch (...) {
      RethrowAsJS(env);
    }
  }

  // Accessors and methods are plain functions of the wrapped value.
  using Fn = Napi::Value (*)(const Napi::CallbackInfo&, T&);
  static Napi::ClassPropertyDescriptor<ValueWrap> Getter(const char* name, Fn f) {
    return Base::InstanceAccessor(name, &ValueWrap::Dispatch, nullptr, napi_enumerable, reinterpret_cast<void*>(f));
  }
  static Napi::ClassPropertyDescriptor<ValueWrap> Method(const char* name, Fn f) {
    return Base::InstanceMethod(name, &ValueWrap::Dispatch, napi_default, reinterpret_cast<void*>(f));
  }
  Napi::Value Dispatch(const Napi::CallbackInfo& info) {
    try {
      return reinterpret_cast<Fn>(info.Data())(info, *value);
    } catch (...) {
      RethrowAsJS(info.Env());
    }
  }

  static T& Get(const Napi::Value& v) { return *Base::Unwrap(v.As<Napi::Object>())->value; }
  static Napi::Object New(Napi::FunctionReference& ctor, T v) {
    Napi::Env env = ctor.Env();
    return ctor.New({Napi::External<T>::New(env, &v)});
  }

  std::optional<T> value;
};

}  // namespace mlxnode
