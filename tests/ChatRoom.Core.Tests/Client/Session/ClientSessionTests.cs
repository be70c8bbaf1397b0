using ChatRoom.Core.Client;
using ChatRoom.Core.Protocol;
using static ChatRoom.Core.Tests.Client.Session.ClientScenario;

namespace ChatRoom.Core.Tests.Client.Session;

public class ClientSessionTests
{
    [Fact]
    public void Hello_is_answered_with_login_and_the_password_is_forgotten_once_welcomed()
    {
        var client = Given("alice", "secret words").Server("HELLO chatroom 1");
        Assert.Equal(["LOGIN alice secret words"], client.Sent);
        Assert.Equal(ClientPhase.AwaitingLogin, client.State.Phase);
        Assert.DoesNotContain("secret words", client.State.ToString());
        client.Server("WELCOME alice");
        Assert.Equal("", client.State.Password);
    }

    [Fact]
    public void Nothing_is_sent_before_the_servers_hello()
    {
        var client = Given().Typed("hello").Typed("/who");
        Assert.Empty(client.Effects);
        Assert.Equal(ClientPhase.Connecting, client.State.Phase);
    }

    [Fact]
    public void Welcome_enters_the_room_and_sends_the_lines_typed_before_it_in_order()
    {
        var client = Given().Typed("first").Typed("/who").Typed("second").Server("HELLO chatroom 1");
        Assert.Equal(["LOGIN alice secret words"], client.Sent);

        client.Server("WELCOME alice");
        Assert.Equal(["SAY first", "WHO", "SAY second"], client.Sent);
        Assert.Equal(["* you are in the room as alice"], client.Shown);
        Assert.Equal(ClientPhase.InRoom, client.State.Phase);
    }

    [Fact]
    public void Welcome_spelling_becomes_the_clients_nick()
    {
        var client = Given("ALICE").Server("HELLO chatroom 1").Server("WELCOME alice");
        Assert.Equal("alice", client.State.Nick);
    }

    [Fact]
    public void Denied_exits_2_with_the_servers_reason()
    {
        var client = Given().Server("HELLO chatroom 1").Typed("hello").Server("DENIED invalid nickname or password");
        Assert.Equal(new ClientEffect.Exit(ExitCodes.LoginRefused, "login refused: invalid nickname or password"), client.Exited);
        Assert.Empty(client.Sent);
        Assert.Equal(ClientPhase.Closed, client.State.Phase);
    }

    [Fact]
    public void An_error_before_welcome_is_a_refused_login()
    {
        var client = Given().Server("HELLO chatroom 1").Server("ERROR 409 nickname already online: alice");
        Assert.Equal(new ClientEffect.Exit(ExitCodes.LoginRefused, "login refused: nickname already online: alice"), client.Exited);
    }

    [Fact]
    public void Ping_is_answered_with_pong_carrying_the_same_token_and_shows_nothing()
    {
        var client = InRoom().Server("PING keepalive");
        Assert.Equal(["PONG keepalive"], client.Sent);
        Assert.Empty(client.Shown);
    }

    [Theory]
    [InlineData("/nick bob")]
    [InlineData("/login bob pw")]
    [InlineData("/NICK bob")]
    public void Changing_identity_after_joining_is_refused_without_sending_anything(string line)
    {
        var client = InRoom().Typed(line);
        Assert.Empty(client.Sent);
        Assert.Equal(["! identity cannot be changed after joining"], client.Shown);
        var error = Assert.IsType<ServerEvent.Error>(Assert.IsType<ClientEffect.Show>(client.Effects.Single()).Event);
        Assert.Equal(ErrorCodes.IdentityLocked, error.Code);
    }

    [Fact]
    public void Unknown_command_says_so_and_points_to_help()
    {
        var client = InRoom().Typed("/dance now");
        Assert.Empty(client.Sent);
        Assert.Equal(["! unknown command /dance; /help lists the commands"], client.Shown);
    }

    [Fact]
    public void Help_is_a_notice_and_sends_nothing()
    {
        var client = InRoom().Typed("/help");
        Assert.Empty(client.Sent);
        Assert.Contains("/msg <nick> <text>", Assert.Single(client.Notices));
    }

    [Fact]
    public void Msg_whispers_and_a_double_slash_says_a_line_starting_with_slash()
    {
        Assert.Equal(["WHISPER bob lunch?"], InRoom().Typed("/msg bob lunch?").Sent);
        Assert.Equal(["SAY /shrug"], InRoom().Typed("//shrug").Sent);
    }

    [Fact]
    public void Text_too_long_for_the_protocol_is_refused_locally_and_not_sent()
    {
        var client = InRoom().Typed(new string('x', Syntax.MaxTextBytes + 1));
        Assert.Empty(client.Sent);
        Assert.Equal([$"! {ProtocolErrors.InvalidText.Message}"], client.Shown);
    }

    [Fact]
    public void Whisper_to_an_invalid_nick_is_refused_locally()
    {
        var client = InRoom().Typed("/msg b@d hi");
        Assert.Empty(client.Sent);
        Assert.Equal([$"! {ProtocolErrors.InvalidNick.Message}"], client.Shown);
    }

    [Fact]
    public void End_of_input_sends_quit_and_bye_then_exits_0()
    {
        var client = InRoom().Typed("bye all");
        Assert.Equal(["SAY bye all"], client.Sent);
        client.Ended();
        Assert.Equal(["QUIT"], client.Sent);
        Assert.True(client.State.Quitting);

        client.Server("MESSAGE 3 alice bye all").Server("BYE quit");
        Assert.Equal(new ClientEffect.Exit(ExitCodes.Ok, ""), client.Exited);
        Assert.Equal(["* bye (quit)"], client.Shown);
    }

    [Fact]
    public void End_of_input_before_welcome_leaves_once_the_earlier_lines_are_sent()
    {
        var client = Given().Typed("hi").Ended().Server("HELLO chatroom 1").Server("WELCOME alice");
        Assert.Equal(["SAY hi", "QUIT"], client.Sent);
    }

    [Fact]
    public void No_bye_within_the_bound_still_exits_0_with_a_note()
    {
        var client = InRoom().Typed("/quit");
        Assert.Equal(ClientSession.ByeTimeout, client.Deadline);
        client.AtDeadline();
        var exit = (ClientEffect.Exit)client.Exited;
        Assert.Equal(ExitCodes.Ok, exit.Code);
        Assert.Contains("no BYE", exit.Message);
    }

    [Fact]
    public void Connection_closed_after_quit_is_a_clean_exit()
    {
        Assert.Equal(ExitCodes.Ok, ((ClientEffect.Exit)InRoom().Typed("/quit").Lost().Exited).Code);
    }

    [Fact]
    public void Bye_that_was_not_asked_for_exits_3_with_the_reason()
    {
        var client = InRoom().Server("BYE server shutting down");
        Assert.Equal(["* bye (server shutting down)"], client.Shown);
        var exit = (ClientEffect.Exit)client.Exited;
        Assert.Equal(ExitCodes.ConnectionFailed, exit.Code);
        Assert.Equal("the server at 127.0.0.1:7777 closed the connection: server shutting down", exit.Message);
    }

    [Fact]
    public void Lost_connection_exits_3_naming_the_server()
    {
        var exit = (ClientEffect.Exit)InRoom().Lost("connection reset").Exited;
        Assert.Equal(new ClientEffect.Exit(ExitCodes.ConnectionFailed, "connection to 127.0.0.1:7777 lost: connection reset"), exit);
    }

    [Fact]
    public void Failed_connect_exits_3_naming_host_and_port()
    {
        var exit = (ClientEffect.Exit)Given().Apply(new ClientInput.ConnectFailed("Connection refused", T0)).Exited;
        Assert.Equal(new ClientEffect.Exit(ExitCodes.ConnectionFailed, "cannot connect to 127.0.0.1:7777: Connection refused"), exit);
    }

    [Fact]
    public void Ctrl_c_sends_quit_and_a_second_one_exits_at_once()
    {
        var client = InRoom().Interrupted();
        Assert.Equal(["QUIT"], client.Sent);
        Assert.True(client.Exited.IsNone);
        Assert.Equal(ExitCodes.Ok, ((ClientEffect.Exit)client.Interrupted().Exited).Code);
    }

    [Fact]
    public void Ctrl_c_while_connecting_exits_0_without_sending()
    {
        var client = Given().Interrupted();
        Assert.Empty(client.Sent);
        Assert.Equal(ExitCodes.Ok, ((ClientEffect.Exit)client.Exited).Code);
    }

    [Fact]
    public void Wait_holds_later_lines_until_an_event_matches()
    {
        var client = InRoom().Typed("/wait bob has joined").Typed("hello bob");
        Assert.Empty(client.Sent);
        Assert.True(client.State.Wait.IsSome);

        client.Server("MESSAGE 2 carol not yet");
        Assert.Empty(client.Sent);

        client.Server("JOINED 3 bob");
        Assert.Equal(["SAY hello bob"], client.Sent);
        Assert.True(client.State.Wait.IsNone);
    }

    [Fact]
    public void Wait_is_satisfied_by_an_event_that_arrived_before_it()
    {
        var client = InRoom().Server("JOINED 2 bob").Typed("/wait bob has joined").Typed("hello bob");
        Assert.Equal(["SAY hello bob"], client.Sent);
        Assert.True(client.State.NextDeadline.IsNone);
    }

    [Fact]
    public void Waits_for_two_events_succeed_whatever_order_the_events_came_in()
    {
        var client = InRoom().Server("JOINED 2 carol").Server("JOINED 3 bob")
            .Typed("/wait bob has joined").Typed("/wait carol has joined").Typed("both here");
        Assert.Equal(["SAY both here"], client.Sent);
    }

    [Fact]
    public void Each_event_satisfies_at_most_one_wait()
    {
        var client = InRoom().Server("MESSAGE 2 bob ready").Typed("/wait bob: ready").Typed("/wait bob: ready").Typed("go");
        Assert.Empty(client.Sent);
        client.Server("MESSAGE 3 bob ready");
        Assert.Equal(["SAY go"], client.Sent);
    }

    [Fact]
    public void Wait_that_runs_out_exits_4_naming_the_pattern()
    {
        var client = InRoom().Typed("/wait nobody says this 0.5");
        Assert.Equal(TimeSpan.FromSeconds(0.5), client.Deadline);
        Assert.True(client.After(TimeSpan.FromSeconds(0.4)).Tick().Exited.IsNone);
        var exit = (ClientEffect.Exit)client.AtDeadline().Exited;
        Assert.Equal(ExitCodes.WaitTimedOut, exit.Code);
        Assert.Equal("/wait timed out after 0.5 s: no event matched /nobody says this/", exit.Message);
    }

    [Fact]
    public void A_satisfied_waits_deadline_is_dropped()
    {
        var client = InRoom().Typed("/wait bob");
        var due = client.Deadline;
        client.Server("JOINED 2 bob");
        Assert.True(client.State.NextDeadline.IsNone);
        client.After(due).Tick();
        Assert.Empty(client.Effects);
        Assert.Equal(ClientPhase.InRoom, client.State.Phase);
    }

    [Fact]
    public void A_broken_wait_ends_a_script_with_exit_1_but_only_warns_a_person()
    {
        var scripted = InRoom(scripted: true).Typed("/wait (unclosed");
        Assert.Equal(ExitCodes.Usage, ((ClientEffect.Exit)scripted.Exited).Code);

        var person = InRoom(scripted: false).Typed("/wait (unclosed");
        Assert.True(person.Exited.IsNone);
        Assert.StartsWith("! /wait: invalid regular expression", Assert.Single(person.Shown));
    }

    [Fact]
    public void A_local_refusal_can_satisfy_a_wait()
    {
        var client = InRoom().Typed("/nick bob").Typed("/wait identity cannot be changed").Typed("ok");
        Assert.Equal(["SAY ok"], client.Sent);
    }

    [Fact]
    public void Unreadable_server_line_is_a_notice_and_changes_nothing()
    {
        var before = InRoom();
        var phase = before.State.Phase;
        before.Server("FROBNICATE 1 2 3");
        Assert.Equal(phase, before.State.Phase);
        Assert.Contains("unreadable", Assert.Single(before.Notices));
    }

    [Fact]
    public void Backlog_stays_bounded()
    {
        var client = InRoom();
        for (var i = 0; i < ClientState.MaxBacklog + 50; i++) client.Server($"MESSAGE {i + 2} bob line {i}");
        Assert.Equal(ClientState.MaxBacklog, client.State.Backlog.Count);
        Assert.Equal($"bob: line {ClientState.MaxBacklog + 49}", client.State.Backlog.Last);
    }

    [Fact]
    public void Messages_beyond_the_servers_burst_wait_for_the_rate_limit_instead_of_being_refused()
    {
        var client = InRoom();
        for (var i = 1; i <= Pacing.Burst(ServerLimits.Default); i++) Assert.Equal([$"SAY line {i}"], client.Typed($"line {i}").Sent);

        client.Typed("one too many");
        Assert.Empty(client.Sent);
        var pace = client.Deadline;
        Assert.InRange(pace.TotalSeconds, 1 / Pacing.PerSecond(ServerLimits.Default), 1 / Pacing.PerSecond(ServerLimits.Default) + 0.01);
        client.Typed("/who").Ended();
        Assert.Empty(client.Sent);

        client.After(pace).Tick();
        Assert.Equal(["SAY one too many", "WHO", "QUIT"], client.Sent);
    }

    [Fact]
    public void Local_commands_are_not_held_back_by_the_rate_limit()
    {
        var client = InRoom();
        for (var i = 1; i <= Pacing.Burst(ServerLimits.Default); i++) client.Typed($"line {i}");
        client.Typed("/help");
        Assert.Single(client.Notices);
    }

    [Fact]
    public void State_text_never_shows_the_password()
    {
        Assert.DoesNotContain("secret words", Given("alice", "secret words").State.ToString());
        Assert.DoesNotContain("secret words", new ClientEffect.Send(new Command.Login("alice", "secret words")).ToString());
    }
}
