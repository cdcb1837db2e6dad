namespace EvCloud.Fast.Api.OpenApi;

/// <summary>
/// Documents the values a string member of a contract takes, as an <c>enum</c> in the OpenAPI document
/// (<see cref="ApiSchemaTransformer"/>). The API writes enums as their names so clients never see numbers; this keeps
/// the names listed. Documentation only: request handlers validate their own input.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false)]
public sealed class StringValuesAttribute : Attribute
{
    /// <summary>The names of <paramref name="enumType"/>'s members, in declaration order, so the list follows the enum.</summary>
    public StringValuesAttribute(Type enumType)
    {
        ArgumentNullException.ThrowIfNull(enumType);
        Values = Enum.GetNames(enumType);
    }

    /// <summary>Values that have no enum type in the code (protocol names, OCPP statuses).</summary>
    public StringValuesAttribute(params string[] values) => Values = values;

    /// <summary>The values.</summary>
    public IReadOnlyList<string> Values { get; }
}
