using ChatRoom.Client.Shell;
using ChatRoom.Client.Tests.EndToEnd;
using ChatRoom.Core.Client;
using ChatRoom.Core.Protocol;

namespace ChatRoom.Client.Tests.Shell;

/// <summary>
/// The client's shell loop (<see cref="ClientRunner"/>, in this process, against a real server): whatever the network,
/// the script thread and the alarm bring and in whatever order, it must be the reducer and nothing else. Its final
/// state and every effect are <see cref="ClientSession.Run"/> over the inputs it applied, compared as values, and it
/// carries out every effect in order.
/// </summary>
public class ClientLoopTests
{
    /// <summary>An output that keeps what it is given, in order.</summary>
    private sealed class Recorded : ClientOutput
    {
        public List<ClientEffect.Show> Shows { get; } = [];
        public List<string> Notices { get; } = [];
        public string Said { get; private set; } = "";

        public override void Show(ClientEffect.Show show) => Shows.Add(show);
        public override void Separator(string text) { }
        public override void Notice(string text) => Notices.Add(text);
        public override void Trace(string text) { }
        public override void Final(string message) => Said = message;
    }

    [Fact]
    public async Task The_client_loop_is_ClientSession_Run_over_the_inputs_it_applied_and_carries_out_every_effect_in_order()
    {
        await using var room = TestRoom.Start();
        // More lines than the server's burst: the loop paces them on the state's deadlines, so ticks are among its inputs.
        var lines = Enumerable.Range(1, 30).Select(i => $"line {i}").ToList();
        var settings = new RunSettings("127.0.0.1", room.Port, "alice", TestRoom.Passwords["alice"], Interactive: false, Json: false, Trace: false)
        {
            Script = new StringReader(string.Join('\n', lines) + "\n/who\n"),
        };
        var output = new Recorded();
        var steps = new List<(ClientState Before, ClientInput Input, ClientOutcome Outcome)>();
        var runner = new ClientRunner(settings, output) { Applied = (state, input, outcome) => steps.Add((state, input, outcome)) };

        var code = await runner.Run().WaitAsync(TimeSpan.FromSeconds(60));

        var run = ClientSession.Run(steps[0].Before, steps.Select(s => s.Input));
        Assert.Equal(run.State, steps[^1].Outcome.State);
        Assert.Equal(run.Effects.ToList(), steps.SelectMany(s => s.Outcome.Effects).ToList());
        Assert.Equal(ExitCodes.Ok, code);
        Assert.Equal(run.Effects.OfType<ClientEffect.Show>().ToList(), output.Shows);
        Assert.Equal(lines, output.Shows.Select(s => s.Event).OfType<ServerEvent.Message>().Where(m => m.From == "alice").Select(m => m.Text));
        Assert.Contains(steps, s => s.Input is ClientInput.Tick);
        Assert.Equal(ClientPhase.Closed, run.State.Phase);
    }
}
