using System.Text;
using System.Text.Json;
using EvCloud.Fast.Ocpi.Push;

namespace EvCloud.Fast.Ocpi.Tests;

public sealed class OutboxCoalescingTests
{
    private static OutboxItem Queued(string method, string? json) => new() { Method = method, Body = json is null ? null : Encoding.UTF8.GetBytes(json), ObjectKey = "sessions/NL/CPO/1" };

    [Fact]
    public void APatch_MergedIntoAQueuedPut_StaysAPut_WithTheNewerFields()
    {
        (string method, byte[]? body) = PushOutbox.Coalesce(Queued("PUT", "{\"id\":\"1\",\"kwh\":1,\"status\":\"ACTIVE\"}"), "PATCH", Encoding.UTF8.GetBytes("{\"kwh\":5}"))!.Value;

        Assert.Equal("PUT", method);
        JsonElement merged = JsonDocument.Parse(body!).RootElement;
        Assert.Equal(5, merged.GetProperty("kwh").GetInt32());
        Assert.Equal("ACTIVE", merged.GetProperty("status").GetString());
    }

    [Fact]
    public void TwoPatches_BecomeOnePatch_CarryingBoth()
    {
        (string method, byte[]? body) = PushOutbox.Coalesce(Queued("PATCH", "{\"kwh\":5,\"last_updated\":\"a\"}"), "PATCH", Encoding.UTF8.GetBytes("{\"status\":\"COMPLETED\",\"last_updated\":\"b\"}"))!.Value;

        Assert.Equal("PATCH", method);
        JsonElement merged = JsonDocument.Parse(body!).RootElement;
        Assert.Equal(5, merged.GetProperty("kwh").GetInt32());
        Assert.Equal("COMPLETED", merged.GetProperty("status").GetString());
        Assert.Equal("b", merged.GetProperty("last_updated").GetString());
    }

    [Theory]
    [InlineData("PATCH", "PUT")] // a PUT replaces whatever is queued
    [InlineData("PUT", "DELETE")] // so does a DELETE
    public void PutOrDelete_ReplacesTheQueuedRequest(string queued, string newer)
    {
        (string method, byte[]? body) = PushOutbox.Coalesce(Queued(queued, "{\"kwh\":1}"), newer, newer == "DELETE" ? null : Encoding.UTF8.GetBytes("{\"kwh\":2}"))!.Value;

        Assert.Equal(newer, method);
        Assert.Equal(newer == "DELETE" ? null : "{\"kwh\":2}", body is null ? null : Encoding.UTF8.GetString(body));
    }

    [Fact]
    public void APatch_AfterAQueuedDelete_IsNotMerged() =>
        Assert.Null(PushOutbox.Coalesce(Queued("DELETE", null), "PATCH", Encoding.UTF8.GetBytes("{\"kwh\":2}")));
}
