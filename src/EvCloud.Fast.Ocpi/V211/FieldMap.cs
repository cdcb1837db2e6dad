using System.Text.Json.Nodes;
using EvCloud.Fast.Ocpi.Storage;

namespace EvCloud.Fast.Ocpi.V211;

/// <summary>
/// How the fields of one OCPI object convert from one version to the other, as a table read top to bottom: a listed
/// field is dropped, renamed, converted into a field of another name, or expanded into several; a field the table does
/// not list is copied unchanged, so the fields both versions spell alike (and any the CPO adds) pass through.
/// </summary>
/// <remarks>
/// The conversion keeps the source's field order. A converter that returns null leaves its target field out (the
/// source value had no counterpart). Built once, at type initialisation; <see cref="Apply"/> only reads it.
/// </remarks>
public sealed class FieldMap
{
    private readonly Dictionary<string, FieldRule> _rules = new(StringComparer.Ordinal);
    private readonly List<(string Field, JsonNode Value)> _always = [];
    private bool _owned;

    /// <summary>Converts one field: reads <c>value</c>, writes what it becomes into <c>target</c>.</summary>
    public delegate void FieldRule(JsonNode? value, JsonObject target, ConversionContext context);

    /// <summary>
    /// The object belongs to the party converting it: the target starts with the context's <c>country_code</c> and
    /// <c>party_id</c>, and the source's own (2.1.1 has none; a CPO that sends them anyway does not choose the owner).
    /// </summary>
    public FieldMap Owned()
    {
        _owned = true;
        return Drop("country_code").Drop("party_id");
    }

    /// <summary>The field has no counterpart and is left out.</summary>
    public FieldMap Drop(string field) => Rule(field, static (_, _, _) => { });

    /// <summary>The same value under another name.</summary>
    public FieldMap Rename(string field, string to) => Rule(field, (value, target, _) => target[to] = value?.DeepClone());

    /// <summary>A converted value under <paramref name="to"/>; left out when <paramref name="convert"/> returns null.</summary>
    public FieldMap Convert(string field, string to, Func<JsonNode?, ConversionContext, JsonNode?> convert) =>
        Rule(field, (value, target, context) =>
        {
            if (convert(value, context) is { } converted)
            {
                target[to] = converted;
            }
        });

    /// <summary>An array of objects, each converted by <paramref name="map"/>; other elements are copied.</summary>
    public FieldMap Each(string field, FieldMap map) =>
        Rule(field, (value, target, context) => target[field] = value is JsonArray items
            ? new JsonArray([.. items.Select(item => item is JsonObject element ? map.Apply(element, context) : item?.DeepClone())])
            : value?.DeepClone());

    /// <summary>A field written by hand: for one source field that becomes several target fields.</summary>
    public FieldMap Rule(string field, FieldRule rule)
    {
        _rules.Add(field, rule);
        return this;
    }

    /// <summary>A field the target always has, written after the converted ones.</summary>
    public FieldMap Always(string field, JsonNode value)
    {
        _always.Add((field, value));
        return this;
    }

    /// <summary>Converts <paramref name="source"/>; the source is not changed.</summary>
    public JsonObject Apply(JsonObject source, ConversionContext context)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(context);
        JsonObject target = _owned
            ? new JsonObject { ["country_code"] = context.CountryCode.ToUpperInvariant(), ["party_id"] = context.PartyId.ToUpperInvariant() }
            : new JsonObject();
        foreach ((string name, JsonNode? value) in source)
        {
            if (_rules.TryGetValue(name, out FieldRule? rule))
            {
                rule(value, target, context);
            }
            else
            {
                target[name] = value?.DeepClone();
            }
        }

        foreach ((string field, JsonNode value) in _always)
        {
            target[field] = value.DeepClone();
        }

        return target;
    }
}

/// <summary>What a conversion needs beyond the object: its owner, and where cdr_tokens come from.</summary>
/// <param name="CountryCode">The owner's country code (the CPO's, from the URL it pushed to).</param>
/// <param name="PartyId">The owner's party id.</param>
/// <param name="Tokens">The cdr_token of a 2.1.1 auth_id; needed by sessions and CDRs only.</param>
public sealed record ConversionContext(string CountryCode, string PartyId, CdrTokenSource? Tokens = null);
