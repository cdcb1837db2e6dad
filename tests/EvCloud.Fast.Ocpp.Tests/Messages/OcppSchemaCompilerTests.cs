using System.Text;
using EvCloud.Fast.Ocpp.Messages;
using EvCloud.Fast.Ocpp.Rpc;

namespace EvCloud.Fast.Ocpp.Tests.Messages;

public class OcppSchemaCompilerTests
{
    [Theory]
    [InlineData("""{"type":"object","properties":{"a":{"type":"string","pattern":"^[A-Z]+$"}}}""", "pattern")] // regular expressions are not supported
    [InlineData("""{"type":"object","properties":{"a":{"const":"x"}}}""", "const")] // not used by any OCPP schema
    [InlineData("""{"type":"object","anyOf":[{"required":["a"]}]}""", "anyOf")] // combinators are not supported
    [InlineData("""{"type":"object","minProperties":1}""", "minProperties")] // not used by any OCPP schema
    [InlineData("""{"type":"object","properties":{"a":{"type":"string","format":"email"}}}""", "format 'email'")] // only date-time and uri occur
    [InlineData("""{"type":"object","properties":{"a":{"$ref":"other.json#/definitions/A"}}}""", "other.json")] // only local definitions
    [InlineData("""{"type":"object","properties":{"a":{"$ref":"#/definitions/Missing"}}}""", "does not resolve")] // a dangling reference
    [InlineData("""{"type":"object","properties":{"a":{"$ref":"#/definitions/A","maxLength":3}},"definitions":{"A":{"type":"string"}}}""", "next to '$ref'")] // draft-07 would ignore maxLength here
    [InlineData("""{"type":"object","additionalProperties":{"type":"string"}}""", "boolean additionalProperties")] // schema-valued additionalProperties
    [InlineData("""{"type":"array","items":[{"type":"string"}]}""", "tuple-form items")] // tuple arrays
    [InlineData("""{"type":"object","properties":{"a":{"type":"integer","exclusiveMinimum":true}}}""", "draft-04 boolean")] // draft-04 exclusive bounds
    [InlineData("""{"type":"object","properties":{"a":{"type":"string","enum":["x",1]}}}""", "string enum")] // mixed enum
    [InlineData("""{"type":"object","required":["a"]}""", "required 'a' is not in properties")] // an unsatisfiable requirement
    [InlineData("""{"type":"object","properties":{"a":{"type":"date"}}}""", "type 'date'")] // not a JSON type
    [InlineData("""{"type":"object","definitions":{"Unused":{"type":"string","pattern":"x"}}}""", "pattern")] // even an unused definition is checked
    public void UnsupportedKeyword_FailsTheLoad_InsteadOfBeingIgnored(string schema, string expectedInMessage)
    {
        InvalidDataException exception = Assert.Throws<InvalidDataException>(() =>
            OcppSchemaCompiler.Compile("Test", OcppVersion.Ocpp201, Encoding.UTF8.GetBytes(schema)));

        Assert.Contains(expectedInMessage, exception.Message, StringComparison.Ordinal);
        Assert.Contains("Test", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"n":5}""", true)]
    [InlineData("""{"n":0}""", false)] // exclusiveMinimum 0 excludes 0
    [InlineData("""{"n":10}""", false)] // exclusiveMaximum 10 excludes 10
    [InlineData("""{"n":9.99}""", true)]
    [InlineData("""{"n":5,"s":"ab"}""", true)]
    [InlineData("""{"n":5,"s":"a"}""", false)] // minLength 2
    [InlineData("""{"n":5,"s":"\u00e9"}""", false)] // one code point, two bytes: still below minLength 2
    [InlineData("""{"n":5,"t":null}""", true)] // "type": ["string","null"]
    [InlineData("""{"n":5,"t":1}""", false)] // neither string nor null
    [InlineData("""{"n":5,"free":{"any":[1,{"thing":null}]}}""", true)] // additionalProperties defaults to true
    public void KeywordsBeyondTheOcppInventory_AreEnforced(string payload, bool valid)
    {
        CompiledSchema schema = OcppSchemaCompiler.Compile("Synthetic", OcppVersion.Ocpp21, """
            {"type":"object","required":["n"],"properties":{
              "n":{"type":"number","exclusiveMinimum":0,"exclusiveMaximum":10},
              "s":{"type":"string","minLength":2},
              "t":{"type":["string","null"]}}}
            """u8.ToArray());

        Assert.Equal(valid, SchemaFixture.Validate(schema, Encoding.UTF8.GetBytes(payload), out OcppValidationError error));
        if (!valid)
        {
            Assert.NotEqual(OcppErrorCode.None, error.Code);
        }
    }

    [Fact]
    public void RecursiveDefinition_CompilesAndValidatesToAnyDepth()
    {
        CompiledSchema schema = OcppSchemaCompiler.Compile("Tree", OcppVersion.Ocpp21, """
            {"$ref":"#/definitions/Node","definitions":{"Node":{"type":"object","additionalProperties":false,
              "properties":{"name":{"type":"string"},"children":{"type":"array","items":{"$ref":"#/definitions/Node"}}}}}}
            """u8.ToArray());

        Assert.True(SchemaFixture.Validate(schema, """{"name":"a","children":[{"name":"b","children":[{"name":"c"}]}]}"""u8.ToArray(), out _));
        Assert.False(SchemaFixture.Validate(schema, """{"children":[{"children":[{"name":1}]}]}"""u8.ToArray(), out OcppValidationError error));
        Assert.Equal("children[0].children[0].name: expected string, got number", error.Description);
    }

    [Fact]
    public void AMissingResponseFile_FailsTheLoad()
    {
        var files = new[] { new KeyValuePair<string, byte[]>("ocpp2.0.1/FooResponse.json", "{}"u8.ToArray()) };

        Assert.Throws<InvalidDataException>(() => OcppSchemaSet.Load(files));
    }

    [Fact]
    public void AnUnknownVersionFolder_FailsTheLoad()
    {
        var files = new[] { new KeyValuePair<string, byte[]>("ocpp1.5/Foo.json", "{}"u8.ToArray()) };

        Assert.Throws<InvalidDataException>(() => OcppSchemaSet.Load(files));
    }
}
