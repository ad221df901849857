// The JS object behind an mx.array (array_object.cc): the class's constructor,
// and access to an object's array for the class's methods (array.cc).
// WrapArray / UnwrapArray / TryUnwrapArray / IsArray are in convert.h.
#pragma once

#include "convert.h"

namespace mlxnode {

// Makes this environment's array class (AddonData::arrayClass) and returns its
// constructor, whose prototype array.cc fills with methods and accessors.
Napi::Function InitArrayClass(Napi::Env env, const char* name);
// The array slot of an mx.array object (empty once disposed); nullptr when v is
// not an mx.array.
std::optional<mx::array>* ArraySlot(const Napi::Value& v);
// V8's count of external memory, which WrapArray raises by what each new array
// will hold (for tests).
int64_t V8ExternalMemory(Napi::Env env);
// Frees v's array now (dispose(); a no-op when already disposed).
void DisposeArray(const Napi::Value& v);

}  // namespace mlxnode
