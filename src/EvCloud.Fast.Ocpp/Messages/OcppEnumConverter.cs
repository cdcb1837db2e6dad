using System.Text.Json;
using System.Text.Json.Serialization;

namespace EvCloud.Fast.Ocpp.Messages;

/// <summary>
/// Reads and writes a generated OCPP enum as its exact wire name (<c>Energy.Active.Import.Register</c>, from
/// <see cref="JsonStringEnumMemberNameAttribute"/>) and nothing else: a number or a name outside the schema's list is a
/// <see cref="JsonException"/>, where the default string-enum converter would also take integers.
/// </summary>
/// <typeparam name="TEnum">A generated enum.</typeparam>
public sealed class OcppEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(namingPolicy: null, allowIntegerValues: false)
    where TEnum : struct, Enum;
