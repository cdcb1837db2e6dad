using System.Buffers;
using System.Text.Json;
using EvCloud.Fast.Api.Events;
using EvCloud.Fast.Storage.Events;

namespace EvCloud.Fast.Api.Tests.Events;

public class ApiEventWriterTests
{
    [Theory]
    [InlineData("""{"t":"\ud800"}""", """{"t":"\uFFFD"}""")] // a lone high surrogate
    [InlineData("""{"t":"a\udc00b"}""", """{"t":"a\uFFFDb"}""")] // a lone low surrogate
    [InlineData("""{"t":"\ud83d\u0041"}""", """{"t":"\uFFFD\u0041"}""")] // a high surrogate followed by a letter
    [InlineData("""{"t":"\ud83d"}""", """{"t":"\uFFFD"}""")] // a high surrogate at the end of the string
    [InlineData("""{"\udfff":1}""", """{"\uFFFD":1}""")] // in a property name
    [InlineData("""{"t":"\ud83d\udd0c"}""", """{"t":"\ud83d\udd0c"}""")] // a pair is kept
    [InlineData("""{"t":"\\ud800"}""", """{"t":"\\ud800"}""")] // an escaped backslash, then text: no escape at all
    [InlineData("""{"t":"\\\ud800"}""", """{"t":"\\\uFFFD"}""")] // an escaped backslash, then a lone surrogate
    [InlineData("""{"t":"plain"}""", """{"t":"plain"}""")] // nothing to repair
    public void ReplaceLoneSurrogateEscapes_ReplacesOnlyLoneOnes(string raw, string expected)
    {
        Assert.Equal(expected, ApiEventWriter.ReplaceLoneSurrogateEscapes(raw));
    }

    [Fact]
    public void ARawPayloadWithALoneSurrogate_IsWrittenAsJson_WithTheReplacementCharacter()
    {
        var e = new ChargerNotification(1, "CP-1", "DataTransfer", """{"vendorId":"v","data":"x\ud800y"}""");
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            ApiEventWriter.Write(json, "charger.notification", e);
        }

        using JsonDocument written = JsonDocument.Parse(buffer.WrittenMemory);
        Assert.Equal("x\uFFFDy", written.RootElement.GetProperty("payload").GetProperty("data").GetString());
    }
}
