using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using EvCloud.Fast.Api.Events;
using EvCloud.Fast.Api.Security;
using EvCloud.Fast.Http;
using EvCloud.Fast.Storage;
using EvCloud.Fast.Storage.Events;
using EvCloud.Fast.Storage.Log;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;

namespace EvCloud.Fast.Api.Endpoints;

/// <summary>
/// <c>GET /api/v1/events</c>: the live event stream as Server-Sent Events, read straight from the event log. Each
/// event's <c>id</c> is its log address, so a client that reconnects with <c>Last-Event-ID</c> gets every event after
/// the last one it saw, none missed and none twice, also across server restarts.
/// </summary>
internal static class EventStreamEndpoints
{
    private static readonly byte[] KeepAlive = ": keep-alive\n\n"u8.ToArray();

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/events", StreamAsync)
            .RequireAuthorization(ApiPolicies.Read)
            .WithTags("Events")
            .WithName("StreamEvents")
            .WithSummary("Live events as Server-Sent Events (text/event-stream), resumable with Last-Event-ID")
            .WithDescription(
                "Types: " + string.Join(", ", ApiEventTypes.All) + ". Filters: chargerId (comma-separated ids) and types (comma-separated types). " +
                "Without Last-Event-ID the stream starts with the next event; from=start replays the whole history first. " +
                "Each message is 'id: <position>', 'event: <type>', 'data: <JSON>'; a comment line keeps idle streams open.")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream")
            .ProducesValidationProblem();
    }

    private static async Task<IResult> StreamAsync(
        HttpContext context,
        StorageEngine storage,
        ApiOptions options,
        IHostApplicationLifetime lifetime,
        string? chargerId,
        string? types,
        string? from,
        string? lastEventId)
    {
        HashSet<string>? chargers = Split(chargerId);
        HashSet<string>? wanted = Split(types);
        if (wanted is not null && wanted.FirstOrDefault(t => !ApiEventTypes.All.Contains(t)) is { } unknown)
        {
            return ApiProblem.Validation("types", $"Unknown event type '{unknown}'; types are {string.Join(", ", ApiEventTypes.All)}.");
        }

        string? resume = context.Request.Headers["Last-Event-ID"].FirstOrDefault() ?? lastEventId;
        long start;
        long skipThrough = -1;
        if (!string.IsNullOrEmpty(resume))
        {
            if (!long.TryParse(resume, NumberStyles.None, CultureInfo.InvariantCulture, out long last)
                || last < storage.Log.BeginAddress || last >= storage.Log.TailAddress)
            {
                return ApiProblem.Validation("Last-Event-ID", "Last-Event-ID must be the id of an event this stream sent.");
            }

            // NOTE: EventLog.ReadAsync: resume from the last processed entry's address and skip that entry.
            start = last;
            skipThrough = last;
            if (!await IsEntryAddressAsync(storage, last, context.RequestAborted).ConfigureAwait(false))
            {
                return ApiProblem.Validation("Last-Event-ID", "Last-Event-ID must be the id of an event this stream sent.");
            }
        }
        else if (from is null or "now")
        {
            start = storage.Log.TailAddress;
        }
        else if (from == "start")
        {
            start = storage.Log.BeginAddress;
        }
        else
        {
            return ApiProblem.Validation("from", "from must be 'start' or 'now'.");
        }

        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var buffer = new ArrayBufferWriter<byte>(1024);
        IAsyncEnumerator<LogEntry> entries =
            storage.Log.ReadAsync(start, follow: true, stop.Token).GetAsyncEnumerator(stop.Token);
        Task<bool> next = Task.FromResult(false);
        try
        {
            next = entries.MoveNextAsync().AsTask();
            Task keepAlive = Task.Delay(options.EventStreamKeepAlive, stop.Token);
            while (true)
            {
                if (await Task.WhenAny(next, keepAlive).ConfigureAwait(false) == keepAlive)
                {
                    await keepAlive.ConfigureAwait(false);
                    await context.Response.Body.WriteAsync(KeepAlive, stop.Token).ConfigureAwait(false);
                    await context.Response.Body.FlushAsync(stop.Token).ConfigureAwait(false);
                    keepAlive = Task.Delay(options.EventStreamKeepAlive, stop.Token);
                    continue;
                }

                if (!await next.ConfigureAwait(false))
                {
                    break;
                }

                // Decoded before the reader moves on: the entry's bytes are the reader's buffer.
                (long address, _, ReadOnlyMemory<byte> payload) = entries.Current;
                DomainEvent? domainEvent = null;
                if (address > skipThrough)
                {
                    EventReader.TryDecode(payload, out domainEvent);
                }

                next = entries.MoveNextAsync().AsTask();
                if (domainEvent is null)
                {
                    continue;
                }

                string? type = ApiEventTypes.Of(domainEvent);
                if (type is null || (wanted is not null && !wanted.Contains(type)) || (chargers is not null && !chargers.Contains(ApiEventTypes.ChargerOf(domainEvent))))
                {
                    continue;
                }

                buffer.ResetWrittenCount();
                WriteMessage(buffer, address, type, domainEvent);
                await context.Response.Body.WriteAsync(buffer.WrittenMemory, stop.Token).ConfigureAwait(false);
                await context.Response.Body.FlushAsync(stop.Token).ConfigureAwait(false);
            }
        }
        catch (Exception error) when (error is OperationCanceledException or ObjectDisposedException or IOException or FASTER.core.FasterException)
        {
            // The client went away, or the server is stopping and the log closed: the client resumes with Last-Event-ID.
            // (A FasterException means the position was not an entry after all; the stream ends rather than guess.)
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await next.ConfigureAwait(false);
            }
            catch (Exception error) when (error is OperationCanceledException or ObjectDisposedException)
            {
            }

            await entries.DisposeAsync().ConfigureAwait(false);
        }

        return Results.Empty;
    }

    /// <summary>
    /// Whether a scan can start at <paramref name="address"/>: an id this stream sent is the address of an entry, while
    /// any other number inside the log would start the scan in the middle of a record, which FASTER reports as an
    /// invalid record length.
    /// </summary>
    private static async Task<bool> IsEntryAddressAsync(StorageEngine storage, long address, CancellationToken cancellationToken)
    {
        try
        {
            await foreach ((long entry, _, ReadOnlyMemory<byte> payload) in storage.Log.ReadAsync(address, follow: false, cancellationToken).ConfigureAwait(false))
            {
                return entry <= address && EventReader.TryDecode(payload, out _);
            }

            return true;
        }
        catch (FASTER.core.FasterException)
        {
            return false;
        }
    }

    /// <summary>One SSE message: <c>id</c>, <c>event</c> and a single-line JSON <c>data</c> (JSON never needs a raw newline).</summary>
    private static void WriteMessage(ArrayBufferWriter<byte> buffer, long address, string type, DomainEvent domainEvent)
    {
        Write(buffer, "id: ");
        Write(buffer, address.ToString(CultureInfo.InvariantCulture));
        Write(buffer, "\nevent: ");
        Write(buffer, type);
        Write(buffer, "\ndata: ");

        // NOTE: the data is written aside first, so an event that cannot be written as it is stored (whatever the
        // reason) becomes a minimal event with the same id instead of a half-written message that ends the stream for
        // every reader that reaches it. A rare path: ApiEventWriter already repairs what a charger can send.
        var data = new ArrayBufferWriter<byte>(256);
        try
        {
            using var json = new Utf8JsonWriter(data);
            ApiEventWriter.Write(json, type, domainEvent);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            data.ResetWrittenCount();
            using var json = new Utf8JsonWriter(data);
            json.WriteStartObject();
            json.WriteString("type", type);
            json.WriteString("chargerId", domainEvent.ChargerId);
            json.WriteString("time", DateTimeOffset.FromUnixTimeMilliseconds(domainEvent.TimestampMs));
            json.WriteBoolean("unreadable", true);
            json.WriteEndObject();
        }

        buffer.Write(data.WrittenSpan);
        Write(buffer, "\n\n");
    }

    private static void Write(ArrayBufferWriter<byte> buffer, string text)
    {
        int written = Encoding.UTF8.GetBytes(text, buffer.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length)));
        buffer.Advance(written);
    }

    private static HashSet<string>? Split(string? list) =>
        string.IsNullOrWhiteSpace(list) ? null : new HashSet<string>(list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), StringComparer.Ordinal);
}
