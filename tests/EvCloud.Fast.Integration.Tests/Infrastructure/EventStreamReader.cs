using System.Net.Http.Headers;
using System.Text.Json;

namespace EvCloud.Fast.Integration.Tests.Infrastructure;

/// <summary>One Server-Sent Event.</summary>
public sealed record ServerSentEvent(string Id, string Type, JsonElement Data);

/// <summary>Reads <c>GET /api/v1/events</c> as an application would, with an optional Last-Event-ID.</summary>
public sealed class EventStreamReader : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly StreamReader _reader;

    private EventStreamReader(HttpResponseMessage response, StreamReader reader)
    {
        _response = response;
        _reader = reader;
    }

    public static async Task<EventStreamReader> OpenAsync(ApiClient api, string query = "", string? lastEventId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/events" + query);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        HttpResponseMessage response = await api.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return new EventStreamReader(response, new StreamReader(await response.Content.ReadAsStreamAsync()));
    }

    /// <summary>The next event (comments skipped), or a TimeoutException.</summary>
    public async Task<ServerSentEvent> NextAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        string? id = null, type = null, data = null;
        while (true)
        {
            string? line = await _reader.ReadLineAsync(cts.Token) ?? throw new EndOfStreamException("The event stream ended");
            if (line.Length == 0)
            {
                if (data is not null)
                {
                    return new ServerSentEvent(id ?? "", type ?? "message", JsonDocument.Parse(data).RootElement.Clone());
                }

                continue;
            }

            if (line.StartsWith(':'))
            {
                continue;
            }

            int colon = line.IndexOf(':');
            string field = colon < 0 ? line : line[..colon];
            string value = colon < 0 ? "" : line[(colon + 1)..].TrimStart(' ');
            switch (field)
            {
                case "id": id = value; break;
                case "event": type = value; break;
                case "data": data = data is null ? value : data + "\n" + value; break;
            }
        }
    }

    /// <summary>Skips events until one of <paramref name="type"/> arrives.</summary>
    public async Task<ServerSentEvent> NextOfTypeAsync(string type, TimeSpan? timeout = null)
    {
        while (true)
        {
            ServerSentEvent e = await NextAsync(timeout);
            if (e.Type == type)
            {
                return e;
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        _response.Dispose();
        return ValueTask.CompletedTask;
    }
}
