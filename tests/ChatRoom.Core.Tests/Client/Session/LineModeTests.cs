using ChatRoom.Core.Client;
using static ChatRoom.Core.Tests.Client.Session.ClientScenario;

namespace ChatRoom.Core.Tests.Client.Session;

/// <summary>The line mode's gaps of issue 13: /wait typed by a person, an absent whisper target, errors' source and line, --strict.</summary>
public class LineModeTests
{
    private static IReadOnlyList<ClientEffect.Show> Errors(ClientScenario client) =>
        client.Effects.OfType<ClientEffect.Show>().Where(s => s.Event is Core.Protocol.ServerEvent.Error).ToList();

    [Fact]
    public void A_wait_typed_interactively_is_refused_with_a_hint_and_the_session_goes_on()
    {
        var client = InRoom2(scripted: false).Typed("/wait bob 1");
        Assert.Contains("/wait is for scripts", Assert.Single(client.Shown));
        Assert.True(client.State.NextDeadline.IsNone);
        Assert.True(client.State.Wait.IsNone);
        Assert.Equal(["SAY still here"], client.Typed("still here").Sent);
        Assert.True(client.Exited.IsNone);
    }

    [Fact]
    public void A_wait_in_a_script_still_holds_the_next_lines()
    {
        var client = InRoom2().Typed("/wait bob 1").Typed("after");
        Assert.True(client.State.Wait.IsSome);
        Assert.Empty(client.Sent);
    }

    [Fact]
    public void A_whisper_to_someone_not_in_the_room_says_so_without_claiming_the_account_does_not_exist()
    {
        var client = InRoom2().Typed("/msg carol hi").Server("ERROR 404 no such user: carol");
        Assert.Equal(["! carol is not in the room"], client.Shown);
    }

    [Fact]
    public void A_refusal_of_the_client_is_marked_client_with_its_line_and_one_of_the_server_server()
    {
        var client = InRoom2().Typed("hello").Typed("/frob");
        var local = Assert.Single(Errors(client));
        Assert.Equal((ErrorSource.Client, 2), (local.Source, local.Line));

        client.Typed("/msg zed psst").Server("ERROR 404 no such user: zed");
        var remote = Assert.Single(Errors(client));
        Assert.Equal((ErrorSource.Server, 3), (remote.Source, remote.Line));
    }

    [Fact]
    public void A_server_error_is_put_down_to_the_whisper_it_answers_though_an_earlier_say_awaits_its_echo()
    {
        // The room log commits line 1's SAY after line 2's WHISPER has been refused.
        var client = InRoom2().Typed("first").Typed("/msg zed psst").Server("ERROR 404 no such user: zed");
        Assert.Equal(2, Assert.Single(Errors(client)).Line);
        client.Typed("/who").Server("USERS alice", "END USERS 1").Typed("x");
        // Line 1's SAY is known accepted once line 3's WHO was answered: a 429 now is line 4's.
        client.Server("ERROR 429 too fast: at most 20 lines at once, then 10 per second");
        Assert.Equal(4, Assert.Single(Errors(client)).Line);
        client.Server("MESSAGE 2 2026-11-26T14:01:09.123Z alice first");
        Assert.Empty(client.State.Outstanding);
    }

    [Fact]
    public void Under_strict_the_first_refused_line_leaves_and_exits_with_code_6()
    {
        var client = InRoom2().With(s => s with { Strict = true }).Typed("/frob");
        Assert.Contains("QUIT", client.Sent);
        Assert.Empty(client.Typed("never sent").Sent);
        var exit = (ClientEffect.Exit)client.Server("BYE quit").Exited;
        Assert.Equal(ExitCodes.LineRefused, exit.Code);
        Assert.Contains("line 1", exit.Message);
    }

    [Fact]
    public void Under_strict_a_server_refusal_counts_too_and_without_strict_nothing_changes()
    {
        var strict = InRoom2().With(s => s with { Strict = true }).Typed("/msg zed hi").Server("ERROR 404 no such user: zed");
        Assert.Contains("QUIT", strict.Sent);
        Assert.Equal(ExitCodes.LineRefused, ((ClientEffect.Exit)strict.Server("BYE quit").Exited).Code);

        var lenient = InRoom2().Typed("/msg zed hi").Server("ERROR 404 no such user: zed").Ended();
        Assert.Equal(["QUIT"], lenient.Sent);
        Assert.Equal(ExitCodes.Ok, ((ClientEffect.Exit)lenient.Server("BYE quit").Exited).Code);
    }

    [Fact]
    public void Under_strict_each_line_waits_for_the_answer_to_the_one_before()
    {
        var client = InRoom2().With(s => s with { Strict = true }).Typed("one").Typed("/msg zed two");
        Assert.Empty(client.Sent);
        Assert.Equal(["WHISPER zed two"], client.Server("MESSAGE 2 2026-11-26T14:01:09.123Z alice one").Sent);
        Assert.Contains("QUIT", client.Server("ERROR 404 no such user: zed").Sent);
    }
}
