using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace ChatRoom.Host.Tests.Cluster;

public sealed class JetStreamAssumptionTests
{
    [Fact]
    public async Task JetStream_publish_and_ordered_read_back_work_against_the_installed_nats_server()
    {
        using var nats = NatsServer.StartNew();
        await using var connection = new NatsConnection(new NatsOpts { Url = nats.Url });
        var js = new NatsJSContext(connection);
        await js.CreateStreamAsync(new StreamConfig("SPIKE", ["spike.>"]));
        for (var i = 0; i < 10; i++)
        {
            var ack = await js.PublishAsync("spike.events", $"m{i}", headers: new NatsHeaders { ["Nats-Msg-Id"] = $"id{i}" });
            ack.EnsureSuccess();
            Assert.Equal((ulong)(i + 1), ack.Seq);
        }
        var dup = await js.PublishAsync("spike.events", "again", headers: new NatsHeaders { ["Nats-Msg-Id"] = "id3" });
        Assert.True(dup.Duplicate);
        var consumer = await js.CreateOrderedConsumerAsync("SPIKE", new NatsJSOrderedConsumerOpts { DeliverPolicy = ConsumerConfigDeliverPolicy.ByStartSequence, OptStartSeq = 4 });
        var got = new List<string>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await foreach (var msg in consumer.ConsumeAsync<string>(cancellationToken: cts.Token))
        {
            got.Add($"{msg.Metadata!.Value.Sequence.Stream}:{msg.Data}");
            if (got.Count == 7) break;
        }
        Assert.Equal(["4:m3", "5:m4", "6:m5", "7:m6", "8:m7", "9:m8", "10:m9"], got);
    }
}
