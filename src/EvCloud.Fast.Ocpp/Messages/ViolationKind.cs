namespace EvCloud.Fast.Ocpp.Messages;

/// <summary>Which schema rule a payload broke; <see cref="OcppSchemaValidator"/> maps it to a CALLERROR code per version.</summary>
internal enum ViolationKind : byte
{
    None = 0,
    Syntax,
    Type,
    Required,
    ItemCount,
    AdditionalProperty,
    Enum,
    Length,
    Range,
    MultipleOf,
    Format,
}
