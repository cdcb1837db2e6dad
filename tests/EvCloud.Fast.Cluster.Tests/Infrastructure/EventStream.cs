using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace EvCloud.Fast.Cluster.Tests.Infrastructure;

/// <summary>One message of the event stream as a consumer sees it.</summary>
public sealed record StreamedEvent(ulong Sequence, string MessageId, string Node, long Epoch, string Charger, long Address, byte[] Payload);

/// <summary>Reads the whole event stream with an ordered consumer.</summary>
public static class EventStream
{
    public static async Task<IReadOnlyList<StreamedEvent>> ReadAllAsync(INatsJSContext js, string stream)
    {
        INatsJSStream info = await js.GetStreamAsync(stream);
        long count = (long)info.Info.State.Messages;
        var events = new List<StreamedEvent>();
        if (count == 0)
        {
            return events;
        }

        INatsJSConsumer consumer = await js.CreateOrderedConsumerAsync(stream, new NatsJSOrderedConsumerOpts { DeliverPolicy = ConsumerConfigDeliverPolicy.All });
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30)); // a failure bound
        await foreach (NatsJSMsg<byte[]> msg in consumer.ConsumeAsync<byte[]>(cancellationToken: bound.Token))
        {
            events.Add(new StreamedEvent(
                msg.Metadata!.Value.Sequence.Stream,
                msg.Headers!["Nats-Msg-Id"].ToString(),
                msg.Headers[EvCloud.Fast.Cluster.Forwarding.ClusterHeaders.Node].ToString(),
                long.Parse(msg.Headers[EvCloud.Fast.Cluster.Forwarding.ClusterHeaders.Epoch].ToString(), System.Globalization.CultureInfo.InvariantCulture),
                msg.Headers[EvCloud.Fast.Cluster.Forwarding.ClusterHeaders.Charger].ToString(),
                long.Parse(msg.Headers[EvCloud.Fast.Cluster.Forwarding.ClusterHeaders.Address].ToString(), System.Globalization.CultureInfo.InvariantCulture),
                msg.Data ?? []));
            if (events.Count == count)
            {
                break;
            }
        }

        return events;
    }
}
