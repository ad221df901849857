// Dtypes and dtype categories: singleton objects per environment, and the
// dtype functions (issubdtype, resultType, canCast, isdtype, finfo, iinfo).
#include "bind.h"
#include "wrap.h"

namespace mlxnode {

namespace {

using DtypeWrap = ValueWrap<mx::Dtype, &kDtypeTag>;
using CategoryWrap = ValueWrap<mx::Dtype::Category, &kCategoryTag>;

constexpr mx::Dtype kDtypes[14] = {mx::bool_,   mx::uint8,   mx::uint16,   mx::uint32,   mx::uint64,
                                   mx::int8,    mx::int16,   mx::int32,    mx::int64,    mx::float16,
                                   mx::float32, mx::float64, mx::bfloat16, mx::complex64};
// Python's names (bool is bool_ in Python; JS has no keyword clash, both are exported).
constexpr const char* kDtypeNames[14] = {"bool_", "uint8", "uint16",  "uint32",  "uint64",  "int8",     "int16",
                                         "int32", "int64", "float16", "float32", "float64", "bfloat16", "complex64"};
constexpr mx::Dtype::Category kCategories[8] = {mx::complexfloating, mx::floating, mx::inexact, mx::signedinteger,
                                                mx::unsignedinteger, mx::integer,  mx::number,  mx::generic};
constexpr const char* kCategoryNames[8] = {"complexfloating", "floating", "inexact", "signedinteger",
                                           "unsignedinteger", "integer",  "number",  "generic"};

std::string DtypeName(mx::Dtype d) {
  std::string n = kDtypeNames[static_cast<int>(d.val())];
  return n == "bool_" ? "bool" : n;
}

Napi::Value DtypeSize(const Napi::CallbackInfo& info, mx::Dtype& d) { return Napi::Number::New(info.Env(), d.size()); }
Napi::Value DtypeToString(const Napi::CallbackInfo& info, mx::Dtype& d) {
  return Napi::String::New(info.Env(), "mlx.core." + DtypeName(d));
}
Napi::Value CategoryName(const Napi::CallbackInfo& info, mx::Dtype::Category& c) {
  return Napi::String::New(info.Env(), kCategoryNames[static_cast<int>(c)]);
}
Napi::Value CategoryToString(const Napi::CallbackInfo& info, mx::Dtype::Category& c) {
  return Napi::String::New(info.Env(), std::string("DtypeCategory.") + kCategoryNames[static_cast<int>(c)]);
}

}  // namespace

mx::Dtype Convert<mx::Dtype>::from(const Napi::Value& v, const Arg& arg) {
  int i = DtypeIndex(v);
  if (i < 0) ThrowArgTypeError(v, arg, "a Dtype (mx.float32, ...)");
  return kDtypes[i];
}
Napi::Value Convert<mx::Dtype>::to(Napi::Env env, mx::Dtype d) {
  return Data(env).dtypes[static_cast<int>(d.val())].Value();
}
mx::Dtype::Category Convert<mx::Dtype::Category>::from(const Napi::Value& v, const Arg& arg) {
  if (!HasTag(v, kCategoryTag)) ThrowArgTypeError(v, arg, "a DtypeCategory (mx.floating, ...)");
  return CategoryWrap::Get(v);
}
Napi::Value Convert<mx::Dtype::Category>::to(Napi::Env env, mx::Dtype::Category c) {
  return Data(env).categories[static_cast<int>(c)].Value();
}

void InitDtype(Napi::Env env, Napi::Object m) {
  AddonData& data = Data(env);
  Napi::Function dtypeClass = DtypeWrap::DefineClass(
      env, "Dtype", {DtypeWrap::Getter("size", &DtypeSize), DtypeWrap::Method("toString", &DtypeToString)});
  Napi::FunctionReference dtypeCtor = Napi::Persistent(dtypeClass);
  for (int i = 0; i < 14; ++i) {
    Napi::Object d = DtypeWrap::New(dtypeCtor, kDtypes[i]);
    d.Freeze();
    data.dtypes[i] = Napi::Persistent(d);
    m.Set(kDtypeNames[i], d);
  }
  m.Set("Dtype", dtypeClass);

  Napi::Function catClass = CategoryWrap::DefineClass(
      env, "DtypeCategory",
      {CategoryWrap::Getter("name", &CategoryName), CategoryWrap::Method("toString", &CategoryToString)});
  Napi::FunctionReference catCtor = Napi::Persistent(catClass);
  for (int i = 0; i < 8; ++i) {
    Napi::Object c = CategoryWrap::New(catCtor, kCategories[i]);
    c.Freeze();
    data.categories[i] = Napi::Persistent(c);
    m.Set(kCategoryNames[i], c);
    catClass.Set(kCategoryNames[i], c);
  }
  m.Set("DtypeCategory", catClass);

  using DtypeOrCategory = std::variant<mx::Dtype, mx::Dtype::Category>;
  Def(
      m, "issubdtype",
      [](DtypeOrCategory a, DtypeOrCategory b) {
        return std::visit([](auto x, auto y) { return mx::issubdtype(x, y); }, a, b);
      },
      {"arg1"_a, "arg2"_a}, "Check if a Dtype or DtypeCategory is a subtype of another.");

  Def(
      m, "canCast",
      [](std::variant<mx::array, mx::Dtype> from, mx::Dtype to) {
        mx::Dtype f =
            std::holds_alternative<mx::array>(from) ? std::get<mx::array>(from).dtype() : std::get<mx::Dtype>(from);
        return mx::promote_types(f, to) == to;
      },
      {"from"_a, "to"_a}, "Whether `from` can be cast to `to`: promoting the two gives back `to`.");

  Def(
      m, "isdtype",
      [](mx::Dtype dtype,
         std::variant<mx::Dtype, std::string, std::vector<std::variant<mx::Dtype, std::string>>> kind) {
        auto one = [&](const std::variant<mx::Dtype, std::string>& k) {
          if (auto d = std::get_if<mx::Dtype>(&k)) return *d == dtype;
          const std::string& s = std::get<std::string>(k);
          if (s == "bool") return dtype == mx::bool_;
          if (s == "signed integer") return mx::issubdtype(dtype, mx::signedinteger);
          if (s == "unsigned integer") return mx::issubdtype(dtype, mx::unsignedinteger);
          if (s == "integral") return mx::issubdtype(dtype, mx::integer);
          if (s == "real floating") return mx::issubdtype(dtype, mx::floating);
          if (s == "complex floating") return mx::issubdtype(dtype, mx::complexfloating);
          if (s == "numeric") return dtype != mx::bool_;
          throw std::invalid_argument("[isdtype] Unrecognized kind '" + s + "'.");
        };
        if (auto d = std::get_if<mx::Dtype>(&kind)) return one(*d);
        if (auto s = std::get_if<std::string>(&kind)) return one(*s);
        for (auto& k : std::get<2>(kind)) {
          if (one(k)) return true;
        }
        return false;
      },
      {"dtype"_a, "kind"_a}, "Test whether a dtype belongs to one or more data type kinds.");

  DefRaw(
      m, "resultType",
      [](const Napi::CallbackInfo& info) -> Napi::Value {
        Napi::Env env = info.Env();
        if (info.Length() == 0) throw std::invalid_argument("[result_type] Need at least one array or dtype.");
        std::optional<mx::Dtype> t;
        for (size_t i = 0; i < info.Length(); ++i) {
          mx::Dtype d = mx::bool_;
          if (IsArray(info[i]))
            d = UnwrapArray(info[i], Arg{"resultType", "arrays_and_dtypes"}).dtype();
          else if (HasTag(info[i], kDtypeTag))
            d = DtypeWrap::Get(info[i]);
          else
            throw Napi::TypeError::New(env,
                                       "resultType(): inputs must be arrays or dtypes, got " + Describe(info[i]) + ".");
          t = t ? mx::promote_types(*t, d) : d;
        }
        return Convert<mx::Dtype>::to(env, *t);
      },
      "(...arraysAndDtypes: (array | Dtype)[]): Dtype",
      "The type that results from applying type promotion to the inputs.");

  Def(
      m, "_finfo",
      [](mx::Dtype d) {
        mx::finfo f(d);
        return std::make_tuple(f.min, f.max, f.eps, f.smallest_normal, f.bits, f.dtype);
      },
      {"dtype"_a}, "[min, max, eps, smallestNormal, bits, dtype] of an inexact type (finfo builds on it).");
  Def(
      m, "_iinfo",
      [](mx::Dtype d) {
        mx::iinfo i(d);
        return std::make_tuple(i.min, i.max);
      },
      {"dtype"_a}, "[min, max] of an integer type (iinfo builds on it).");
}

}  // namespace mlxnode
