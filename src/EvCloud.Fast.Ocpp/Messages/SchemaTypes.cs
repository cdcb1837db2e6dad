namespace EvCloud.Fast.Ocpp.Messages;

/// <summary>The JSON Schema <c>type</c> keyword as flags, so a type list (<c>["string","null"]</c>) is one mask test.</summary>
[Flags]
internal enum SchemaTypes : byte
{
    None = 0,
    Object = 1,
    Array = 2,
    String = 4,
    Integer = 8,
    Number = 16,
    Boolean = 32,
    Null = 64,
    Any = Object | Array | String | Integer | Number | Boolean | Null,
}
