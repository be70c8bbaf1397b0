using ChatRoom.Core.Client;
using ChatRoom.Core.Protocol;
using static ChatRoom.Core.Tests.Client.Session.ClientScenario;

namespace ChatRoom.Core.Tests.Client.Session;

/// <summary>The client against a protocol 2 server: the handshake, the announced limits, END USERS and history.</summary>
public class ProtocolTwoTests
{
    private const string Hello2 = "HELLO chatroom 2 line=4096 text=3800 burst=20 rate=10 history=50 page=100";
    private const string Time = "2026-11-26T14:01:09.123Z";

    private static string Msg(long seq, string from = "bob", string text = "hi") => $"MESSAGE {seq} {Time} {from} {text}";
    private static string History(long seq, string from = "bob") => $"HISTORY MESSAGE {seq} {Time} {from} m{seq}";

    [Fact]
    public void A_protocol_1_server_is_spoken_to_exactly_as_before()
    {
        var client = Given().Server("HELLO chatroom 1");
        Assert.Equal(["LOGIN alice secret words"], client.Sent);
        Assert.Empty(client.Notices);
        Assert.Equal(1, client.State.Protocol);
        Assert.Equal(ServerLimits.Default, client.State.Limits);
        client.Server("WELCOME alice").Server("USERS alice bob");
        Assert.Equal(["* in the room: alice, bob"], client.Shown);
        Assert.Equal(["bob: hi"], client.Server("MESSAGE 5 bob hi").Shown);
    }

    [Fact]
    public void A_protocol_2_server_is_asked_for_protocol_2_and_the_login_follows_at_once()
    {
        var client = Given().Server(Hello2);
        Assert.Equal(["PROTOCOL 2", "LOGIN alice secret words"], client.Sent);
        Assert.Equal(1, client.State.Protocol);
        client.Server("PROTOCOL 2");
        Assert.Equal(2, client.State.Protocol);
        Assert.Empty(client.Effects);
        client.Server("WELCOME alice").Server("USERS alice").Server("END USERS 1");
        var message = Assert.IsType<ServerEvent.Message>(Assert.IsType<ClientEffect.Show>(client.Server(Msg(5)).Effects.Single()).Event);
        Assert.Equal(DateTimeOffset.Parse(Time, System.Globalization.CultureInfo.InvariantCulture), message.At);
    }

    [Fact]
    public void A_stored_token_is_resumed_after_PROTOCOL_2()
    {
        var token = new Secret("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        var client = Given(password: "").With(s => s with { Token = Some(token) }).Server(Hello2);
        Assert.Equal(["PROTOCOL 2", $"RESUME alice {token.Value}"], client.Sent);
    }

    [Fact]
    public void Another_product_is_tried_in_protocol_1_with_a_notice()
    {
        var client = Given().Server("HELLO otherchat 2 burst=1 rate=1");
        Assert.Equal(["LOGIN alice secret words"], client.Sent);
        Assert.Contains("otherchat 2", Assert.Single(client.Notices));
        Assert.Equal(ServerLimits.Default, client.State.Limits);
    }

    [Fact]
    public void Hello_limits_are_read_and_a_missing_rate_limit_means_none()
    {
        Assert.Equal(new ServerLimits(2048, 1000, Some(6), Some(2.5), 40),
            ServerLimits.From((ServerEvent.Hello)EventCodec.Decode("HELLO chatroom 2 line=2048 text=1000 burst=6 rate=2.5 history=10 page=40").ThrowIfFail()));
        var unlimited = ServerLimits.From((ServerEvent.Hello)EventCodec.Decode("HELLO chatroom 2 line=4096 text=3800 history=50 page=100").ThrowIfFail());
        Assert.True(unlimited.Burst.IsNone && unlimited.Rate.IsNone);
        Assert.Equal(Syntax.MaxTextBytes, ServerLimits.From((ServerEvent.Hello)EventCodec.Decode("HELLO chatroom 2 text=99999").ThrowIfFail()).Text);
    }

    [Fact]
    public void The_announced_rate_limit_paces_the_lines_sent()
    {
        var client = Given().Server("HELLO chatroom 2 line=4096 text=3800 burst=6 rate=2 history=50 page=100")
            .Server("PROTOCOL 2").Server("WELCOME alice");
        Assert.Equal(["SAY one"], client.Typed("one").Sent);
        Assert.Equal(["SAY two"], client.Typed("two").Sent);
        client.Typed("three");
        Assert.Empty(client.Sent);
        Assert.InRange(client.Deadline.TotalSeconds, 1 / 1.8, 1 / 1.8 + 0.01);
    }

    [Fact]
    public void A_server_without_a_rate_limit_is_not_paced()
    {
        var client = Given().Server("HELLO chatroom 2 line=4096 text=3800 history=50 page=100").Server("PROTOCOL 2").Server("WELCOME alice");
        for (var i = 0; i < 100; i++) Assert.Equal([$"SAY line {i}"], client.Typed($"line {i}").Sent);
    }

    [Fact]
    public void The_announced_text_and_line_limits_refuse_what_the_server_would()
    {
        var client = Given().Server("HELLO chatroom 2 line=120 text=100 burst=20 rate=10").Server("PROTOCOL 2").Server("WELCOME alice");
        Assert.Equal([$"SAY {new string('x', 100)}"], client.Typed(new string('x', 100)).Sent);
        client.Typed(new string('x', 101));
        Assert.Empty(client.Sent);
        Assert.Equal(["! text too long: this server takes at most 100 bytes"], client.Shown);
        client.Typed($"/msg {new string('b', 32)} {new string('x', 90)}");
        Assert.Empty(client.Sent);
        Assert.Equal(["! line too long (limit 120 bytes)"], client.Shown);
    }

    [Fact]
    public void Users_lines_are_shown_as_one_list_when_END_USERS_says_it_is_complete()
    {
        var client = Given().Server(Hello2).Server("PROTOCOL 2").Server("WELCOME alice");
        Assert.Empty(client.Server("USERS alice bob").Shown);
        Assert.Empty(client.Server("USERS carol").Shown);
        Assert.Equal(["* in the room: alice, bob, carol"], client.Server("END USERS 3").Shown);

        client.Typed("/who");
        Assert.Equal(["WHO"], client.Sent);
        Assert.Empty(client.Server("USERS alice").Shown);
        Assert.Equal(["* in the room: alice"], client.Server("END USERS 1").Shown);
    }

    [Fact]
    public void A_wait_for_the_user_list_sees_it_whole()
    {
        var client = Given().Typed("/wait in the room: .*carol").Typed("hello carol").Server(Hello2).Server("PROTOCOL 2")
            .Server("WELCOME alice").Server("USERS alice bob");
        Assert.Empty(client.Sent);
        client.Server("USERS carol", "END USERS 3");
        Assert.Equal(["SAY hello carol"], client.Sent);
    }

    [Fact]
    public void History_after_joining_is_shown_apart_between_separators_once_it_ends()
    {
        var client = InRoom2();
        Assert.Empty(client.Server(History(3), "HISTORY JOINED 4 2026-11-26T14:02:00.000Z carol").Transcript);
        client.Server("END HISTORY 2");
        Assert.Equal(["— earlier —", "(h) bob: m3", "(h) * carol has joined", "— now —"], client.Transcript);
        Assert.Equal(["bob: hi"], client.Server(Msg(5)).Transcript);
    }

    [Fact]
    public void Live_events_that_come_during_the_history_are_shown_after_it()
    {
        var client = InRoom2().Server(History(3)).Server(Msg(4, text: "live"));
        Assert.Empty(client.Transcript);
        client.Server("WHISPER bob alice psst");
        Assert.Equal(["bob -> you (whisper): psst"], client.Transcript);
        client.Server("END HISTORY 1");
        Assert.Equal(["— earlier —", "(h) bob: m3", "— now —", "bob: live"], client.Transcript);
    }

    [Fact]
    public void No_history_shows_no_separators()
    {
        Assert.Empty(InRoom2().Server("END HISTORY 0").Transcript);
    }

    [Fact]
    public void A_history_that_never_ends_is_shown_when_its_deadline_passes()
    {
        var client = InRoom2().Server(History(3));
        Assert.Equal(ClientSession.HistoryTimeout, client.Deadline);
        client.Server(Msg(4, text: "live")).AtDeadline();
        Assert.Equal(["— earlier —", "(h) bob: m3", "— now —", "bob: live"], client.Transcript);
        Assert.Single(client.Notices);
    }

    [Fact]
    public void Wait_skips_history_unless_asked_to_match_it()
    {
        var client = InRoom2().Server(History(3, "carol"), "END HISTORY 1").Typed("/wait carol: m3 5").Typed("after");
        Assert.Empty(client.Sent);
        Assert.Equal(ExitCodes.WaitTimedOut, client.After(TimeSpan.FromSeconds(5)).Tick().Exited.Map(x => x.Code));

        var matching = InRoom2().Server(History(3, "carol"), "END HISTORY 1").Typed("/wait --history carol: m3 5").Typed("after");
        Assert.Equal(["SAY after"], matching.Sent);
    }

    [Fact]
    public void Wait_with_history_also_matches_history_that_comes_later()
    {
        var client = InRoom2().Typed("/wait --history carol").Typed("after");
        Assert.Empty(client.Sent);
        client.Server(History(3, "carol"), "END HISTORY 1");
        Assert.Equal(["SAY after"], client.Sent);
    }

    [Fact]
    public void History_command_pages_back_from_the_oldest_seq_seen_and_shows_the_answer_apart()
    {
        var client = InRoom2().Server(History(30), History(31), "END HISTORY 2").Typed("/history");
        Assert.Equal(["HISTORY BEFORE 30 20"], client.Sent);
        client.Server(Msg(32, text: "live"));
        Assert.Equal(["bob: live"], client.Transcript);
        client.Server(History(28), History(29), "END HISTORY 2");
        Assert.Equal(["— earlier —", "(h) bob: m28", "(h) bob: m29", "— now —"], client.Transcript);

        Assert.Equal(["HISTORY BEFORE 28 100"], client.Typed("/history 500").Sent);
        client.Server("END HISTORY 0");
        Assert.Empty(client.Transcript);
        Assert.Equal(["no earlier history"], client.Notices);
    }

    [Fact]
    public void History_command_waits_for_the_previous_one()
    {
        var client = InRoom2().Server(Msg(9)).Typed("/history 5");
        Assert.Equal(["HISTORY BEFORE 9 5"], client.Sent);
        client.Typed("/history");
        Assert.Empty(client.Sent);
        Assert.Equal(["! /history: the history is still being received"], client.Shown);
    }

    [Fact]
    public void History_command_on_a_protocol_1_server_is_refused_without_sending_anything()
    {
        var client = InRoom().Typed("/history");
        Assert.Empty(client.Sent);
        Assert.Equal(["! /history needs a server that speaks protocol 2; this one speaks protocol 1"], client.Shown);
    }

    [Fact]
    public void After_a_reconnect_only_what_was_missed_is_shown()
    {
        var client = Given().With(s => s with { LastSeen = 10 }).Server(Hello2).Server("PROTOCOL 2").Server("WELCOME alice", "USERS alice", "END USERS 1")
            .Server(History(8), History(9), History(10), History(11), History(12), "END HISTORY 5");
        Assert.Empty(client.Sent);
        Assert.Equal(["— earlier —", "(h) bob: m11", "(h) bob: m12", "— now —"], client.Transcript);
        Assert.Equal(12, client.State.LastSeen);
    }

    [Fact]
    public void After_a_reconnect_with_nothing_missed_nothing_is_shown()
    {
        var client = Given().With(s => s with { LastSeen = 12 }).Server(Hello2).Server("PROTOCOL 2").Server("WELCOME alice")
            .Server(History(11), History(12), "END HISTORY 2");
        Assert.Empty(client.Transcript);
        Assert.Empty(client.Sent);
    }

    [Fact]
    public void After_a_reconnect_the_client_pages_back_to_the_last_seq_it_saw()
    {
        var join = Enumerable.Range(60, 50).Select(i => History(i)).Append("END HISTORY 50").ToArray();
        var client = Given().With(s => s with { LastSeen = 10 }).Server(Hello2).Server("PROTOCOL 2").Server("WELCOME alice").Server(join);
        Assert.Equal(["HISTORY BEFORE 60 49"], client.Sent);
        Assert.Empty(client.Transcript);
        client.Server(Msg(110, text: "live"));
        Assert.Empty(client.Transcript);

        client.Server(Enumerable.Range(11, 49).Select(i => History(i)).Append("END HISTORY 49").ToArray());
        Assert.Empty(client.Sent);
        var shown = client.Transcript;
        Assert.Equal(["— earlier —", .. Enumerable.Range(11, 99).Select(i => $"(h) bob: m{i}"), "— now —", "bob: live"], shown);
        Assert.Empty(client.Notices);
    }

    [Fact]
    public void Catching_up_is_bounded_and_says_that_more_was_missed()
    {
        var join = Enumerable.Range(1000, 50).Select(i => History(i)).Append("END HISTORY 50").ToArray();
        var client = Given().With(s => s with { LastSeen = 1 }).Server(Hello2).Server("PROTOCOL 2").Server("WELCOME alice").Server(join);
        var oldest = 1000;
        var asked = 0;
        while (client.Sent is [var request])
        {
            Assert.Equal($"HISTORY BEFORE {oldest} 100", request);
            asked += 100;
            client.Server(Enumerable.Range(oldest - 100, 100).Select(i => History(i)).Append("END HISTORY 100").ToArray());
            oldest -= 100;
        }
        Assert.Equal(ClientSession.MaxCatchUp, asked);
        Assert.Equal(550 + 2, client.Transcript.Count);
        Assert.Equal("more was missed than shown: about 498 earlier events (the client catches up at most 500); /history pages back",
            Assert.Single(client.Notices));
    }

    [Fact]
    public void Catching_up_stops_when_the_server_has_nothing_earlier()
    {
        var join = Enumerable.Range(60, 50).Select(i => History(i)).Append("END HISTORY 50").ToArray();
        var client = Given().With(s => s with { LastSeen = 10 }).Server(Hello2).Server("PROTOCOL 2").Server("WELCOME alice").Server(join);
        client.Server("END HISTORY 0");
        Assert.Empty(client.Sent);
        Assert.Equal(52, client.Transcript.Count);
    }

    [Fact]
    public void A_room_log_that_started_again_shows_all_its_history()
    {
        var client = Given().With(s => s with { LastSeen = 500 }).Server(Hello2).Server("PROTOCOL 2").Server("WELCOME alice")
            .Server(History(1), History(2), "END HISTORY 2");
        Assert.Equal(["— earlier —", "(h) bob: m1", "(h) bob: m2", "— now —"], client.Transcript);
    }

    [Fact]
    public void The_newest_seq_seen_is_kept_with_the_token_when_the_client_leaves()
    {
        var client = Given().With(s => s with { Remember = true }).Server(Hello2).Server("PROTOCOL 2").Server("WELCOME alice")
            .Server(History(3), "END HISTORY 1").Server(Msg(7)).Typed("/quit").Server("BYE quit");
        Assert.Equal([new ClientEffect.SaveLastSeen(7)], client.Effects.OfType<ClientEffect.SaveLastSeen>());
        Assert.IsType<ClientEffect.Exit>(client.Effects.Last());
    }

    [Fact]
    public void Nothing_is_kept_without_a_token_or_with_a_protocol_1_server()
    {
        var v2 = InRoom2().Server(Msg(7)).Typed("/quit").Server("BYE quit");
        Assert.Empty(v2.Effects.OfType<ClientEffect.SaveLastSeen>());
        var v1 = InRoom().With(s => s with { Remember = true }).Server("MESSAGE 7 bob hi").Typed("/quit").Server("BYE quit");
        Assert.Empty(v1.Effects.OfType<ClientEffect.SaveLastSeen>());
    }

    [Fact]
    public void The_clients_own_join_that_ends_the_history_is_counted_as_seen_not_shown()
    {
        var client = InRoom2().Server(History(3), "HISTORY JOINED 4 2026-11-26T14:02:00.000Z alice", "END HISTORY 2");
        Assert.Equal(["— earlier —", "(h) bob: m3", "— now —"], client.Transcript);
        Assert.Equal(4, client.State.LastSeen);
        Assert.Empty(InRoom2().Server("HISTORY JOINED 4 2026-11-26T14:02:00.000Z alice", "END HISTORY 1").Transcript);
    }

    [Fact]
    public void At_the_end_of_the_input_the_client_leaves_once_its_messages_are_echoed()
    {
        var client = InRoom2();
        Assert.Equal(["SAY one"], client.Typed("one").Sent);
        Assert.Equal(["SAY two"], client.Typed("two").Sent);
        Assert.Empty(client.Ended().Sent);
        Assert.Equal(ClientSession.ByeTimeout, client.Deadline);
        Assert.Empty(client.Server(Msg(5, "alice", "one")).Sent);
        Assert.Equal(["QUIT"], client.Server(Msg(6, "alice", "two")).Sent);
    }

    [Fact]
    public void A_refused_message_counts_as_answered_and_the_wait_for_echoes_is_bounded()
    {
        Assert.Equal(["QUIT"], InRoom2().Typed("one").Typed("/quit").Server("ERROR 503 the room log is behind, retry in 2 s").Sent);
        var client = InRoom2().Typed("one").Ended();
        Assert.Equal(["QUIT"], client.AtDeadline().Sent);
    }

    [Fact]
    public void A_protocol_1_client_leaves_at_once_as_before() =>
        Assert.Equal(["QUIT"], InRoom().Typed("one").Ended().Sent);

    [Fact]
    public void A_refusal_of_the_clients_own_does_not_count_as_an_answer_to_a_SAY()
    {
        var client = InRoom2().Typed("one").Typed("/frob").Ended();
        Assert.Empty(client.Sent);
        Assert.Equal(["QUIT"], client.Server(Msg(5, "alice", "one")).Sent);
    }

    [Fact]
    public void Own_messages_held_behind_the_history_still_count_as_echoes()
    {
        var client = InRoom2().Typed("one").Server(History(3)).Server(Msg(5, "alice", "one")).Ended();
        Assert.Empty(client.Sent);
        Assert.Equal(["QUIT"], client.Server("END HISTORY 1").Sent);
    }
}
