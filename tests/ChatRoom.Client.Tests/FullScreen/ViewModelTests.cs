using ChatRoom.Client.FullScreen;
using ChatRoom.Core.Client;
using ChatRoom.Core.Protocol;

namespace ChatRoom.Client.Tests.FullScreen;

public class UserListTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Users_replaces_the_list_sorted_and_without_duplicates()
    {
        var list = UserList.Empty.Apply(new ServerEvent.Users(Seq("carol", "Alice", "bob", "alice")));
        Assert.Equal(new[] { "Alice", "bob", "carol" }, list.Nicks);
        Assert.Equal(new[] { "dave" }, list.Apply(new ServerEvent.Users(Seq1("dave"))).Nicks);
    }

    [Fact]
    public void Joined_adds_once_and_Left_removes_whatever_the_case()
    {
        var list = UserList.Empty.Apply(new ServerEvent.Users(Seq1("alice")))
            .Apply(new ServerEvent.Joined(3, "bob") { At = At })
            .Apply(new ServerEvent.Joined(4, "BOB") { At = At });
        Assert.Equal(new[] { "alice", "bob" }, list.Nicks);
        Assert.Equal(new[] { "alice" }, list.Apply(new ServerEvent.Left(5, "Bob", "quit") { At = At }).Nicks);
    }

    [Fact]
    public void Ten_thousand_joins_one_at_a_time_give_the_sorted_list_and_leaves_take_them_out()
    {
        var list = UserList.Empty;
        for (var i = 9_999; i >= 0; i--) list = list.Apply(new ServerEvent.Joined(i, $"u{i:D5}") { At = At });
        Assert.Equal(10_000, list.Count);
        Assert.Equal(Enumerable.Range(0, 10_000).Select(i => $"u{i:D5}"), list.Nicks);
        for (var i = 0; i < 10_000; i += 2) list = list.Apply(new ServerEvent.Left(i, $"U{i:D5}", "") { At = At });
        Assert.Equal(Enumerable.Range(0, 5_000).Select(i => $"u{2 * i + 1:D5}"), list.Nicks);
    }

    [Fact]
    public void Other_events_leave_the_list_as_it_is()
    {
        var list = UserList.Empty.Apply(new ServerEvent.Users(Seq1("alice")));
        Assert.Same(list, list.Apply(new ServerEvent.Message(2, "alice", "hi") { At = At }));
        Assert.Same(list, list.Apply(new ServerEvent.Error(400, "no")));
    }
}

public class InputHistoryTests
{
    [Fact]
    public void Up_goes_to_older_lines_and_Down_comes_back_to_the_draft()
    {
        var history = InputHistory.Empty.Add("one").Add("two");
        var (h1, t1) = history.Older("draft").Case is (InputHistory a, string b) ? (a, b) : throw new Xunit.Sdk.XunitException("none");
        Assert.Equal("two", t1);
        var (h2, t2) = ((InputHistory, string))h1.Older("two");
        Assert.Equal("one", t2);
        Assert.True(h2.Older("one").IsNone);
        var (h3, t3) = ((InputHistory, string))h2.Newer();
        Assert.Equal("two", t3);
        var (h4, t4) = ((InputHistory, string))h3.Newer();
        Assert.Equal("draft", t4);
        Assert.True(h4.Newer().IsNone);
    }

    [Fact]
    public void Empty_lines_and_repeats_of_the_newest_are_not_kept()
    {
        var history = InputHistory.Empty.Add("one").Add("").Add("one").Add("two").Add("one");
        Assert.Equal(new[] { "one", "two", "one" }, history.Lines);
    }

    [Fact]
    public void It_keeps_the_newest_lines_up_to_its_capacity()
    {
        var history = Enumerable.Range(0, InputHistory.Capacity + 10).Aggregate(InputHistory.Empty, (h, i) => h.Add($"line {i}"));
        Assert.Equal(InputHistory.Capacity, history.Lines.Count);
        Assert.Equal($"line {InputHistory.Capacity + 9}", history.Lines.Last);
        Assert.Equal("line 10", history.Lines.Head);
    }

    [Fact]
    public void Sending_starts_recall_again_from_the_newest()
    {
        var history = InputHistory.Empty.Add("one").Add("two");
        var (up, _) = ((InputHistory, string))history.Older("");
        var (again, text) = ((InputHistory, string))up.Add("three").Older("");
        Assert.Equal("three", text);
    }
}

public class NickCompletionTests
{
    private static readonly Seq<string> Online = Seq("alice", "bob", "Bobby", "carol");

    [Fact]
    public void A_word_at_the_start_gets_a_colon_and_elsewhere_a_space()
    {
        var start = NickCompletion.Tab("ca", 2, Online, "alice", null);
        Assert.Equal(("carol: ", 7), start.Map(r => (r.Text, r.Cursor)).IfNone(("", 0)));
        var middle = NickCompletion.Tab("hi ca how", 5, Online, "alice", null);
        Assert.Equal(("hi carol how", 9), middle.Map(r => (r.Text, r.Cursor)).IfNone(("", 0)));
    }

    [Fact]
    public void Tab_again_goes_on_to_the_next_match_and_round()
    {
        var first = (NickCompletion.Tab("BO", 2, Online, "alice", null)).IfNone(() => throw new Xunit.Sdk.XunitException("none"));
        Assert.Equal("bob: ", first.Text);
        var second = NickCompletion.Tab(first.Text, first.Cursor, Online, "alice", first.Cycle).IfNone(() => throw new Xunit.Sdk.XunitException("none"));
        Assert.Equal("Bobby: ", second.Text);
        var third = NickCompletion.Tab(second.Text, second.Cursor, Online, "alice", second.Cycle).IfNone(() => throw new Xunit.Sdk.XunitException("none"));
        Assert.Equal("bob: ", third.Text);
    }

    [Fact]
    public void Your_own_nickname_and_no_match_complete_nothing()
    {
        Assert.True(NickCompletion.Tab("al", 2, Online, "alice", null).IsNone);
        Assert.True(NickCompletion.Tab("zed", 3, Online, "alice", null).IsNone);
        Assert.True(NickCompletion.Tab("", 0, Online, "alice", null).IsNone);
        Assert.True(NickCompletion.Tab("hi ", 3, Online, "alice", null).IsNone);
    }

    [Fact]
    public void A_cycle_from_other_text_is_not_continued()
    {
        var first = NickCompletion.Tab("b", 1, Online, "alice", null).IfNone(() => throw new Xunit.Sdk.XunitException("none"));
        var fresh = NickCompletion.Tab("c", 1, Online, "alice", first.Cycle).IfNone(() => throw new Xunit.Sdk.XunitException("none"));
        Assert.Equal("carol: ", fresh.Text);
    }
}

public class HighlightTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("alice: are you there?", true)]
    [InlineData("thanks Alice!", true)]
    [InlineData("@alice look", true)]
    [InlineData("see you, alice.", true)]
    [InlineData("malice aforethought", false)]
    [InlineData("alice_2 is not you", false)]
    [InlineData("alicex", false)]
    [InlineData("nothing here", false)]
    public void A_message_mentions_you_only_as_a_word_of_its_own(string text, bool mentions) =>
        Assert.Equal(mentions ? HighlightKind.Mention : HighlightKind.None, Highlight.Of(new ServerEvent.Message(1, "bob", text) { At = At }, "alice"));

    [Fact]
    public void Your_own_message_naming_you_is_not_a_mention() =>
        Assert.Equal(HighlightKind.None, Highlight.Of(new ServerEvent.Message(1, "Alice", "alice here") { At = At }, "alice"));

    [Fact]
    public void A_whisper_to_you_is_highlighted_and_your_own_whisper_is_not()
    {
        Assert.Equal(HighlightKind.Whisper, Highlight.Of(new ServerEvent.Whisper("bob", "alice", "psst"), "alice"));
        Assert.Equal(HighlightKind.None, Highlight.Of(new ServerEvent.Whisper("alice", "bob", "psst"), "alice"));
    }

    [Fact]
    public void Nicknames_beyond_ascii_are_found_too() =>
        Assert.Equal(HighlightKind.Mention, Highlight.Of(new ServerEvent.Message(1, "bob", "你好 北落!") { At = At }, "北落"));

    [Theory]
    [InlineData(HighlightKind.Mention, false, true, true)]
    [InlineData(HighlightKind.Whisper, false, true, true)]
    [InlineData(HighlightKind.Mention, true, true, false)]
    [InlineData(HighlightKind.Mention, false, false, false)]
    [InlineData(HighlightKind.None, false, true, false)]
    public void Only_live_highlights_ring_and_only_with_the_bell_on(HighlightKind kind, bool history, bool bell, bool rings) =>
        Assert.Equal(rings, Highlight.Rings(kind, history, bell));
}

public class LoginFormTests
{
    [Theory]
    [InlineData("", "alice", "pw", "the server is missing")]
    [InlineData("h", "", "pw", "the nickname is missing")]
    [InlineData("h", "alice", "", "the password is missing")]
    [InlineData("h", "", "", "the nickname and the password are missing")]
    [InlineData("", "", "", "the server, the nickname and the password are missing")]
    [InlineData("h:99999", "alice", "pw", "the server must be host or host:port, with a port between 1 and 65535")]
    [InlineData("h", "a b", "pw", "invalid nickname")]
    public void Join_says_what_is_wrong(string server, string nick, string password, string message)
    {
        var result = LoginForm.Check(server, nick, password, 7777);
        Assert.True(result.IsFail);
        Assert.StartsWith(message, result.Match(_ => "", e => e.Message));
    }

    [Theory]
    [InlineData("chat.example.org", "chat.example.org", 7777)]
    [InlineData("127.0.0.1:7000", "127.0.0.1", 7000)]
    [InlineData(" [::1]:7001 ", "::1", 7001)]
    [InlineData("[::1]", "::1", 7777)]
    public void A_server_is_host_or_host_and_port(string server, string host, int port)
    {
        var result = LoginForm.Check(server, " alice ", "pw", 7777);
        Assert.Equal(new LoginRequest(host, port, "alice", "pw"), result.IfFail(_ => throw new Xunit.Sdk.XunitException("refused")));
    }

    [Fact]
    public void A_request_never_shows_its_password() =>
        Assert.DoesNotContain("s3cret", new LoginRequest("h", 1, "alice", "s3cret").ToString());
}

public class TranscriptModelTests
{
    private static TranscriptModel Lines(int count, int width = 20) =>
        Enumerable.Range(1, count).Aggregate(TranscriptModel.Empty, (m, i) => m.Add(new TranscriptLine($"line {i}", LineKind.Live), width));

    [Fact]
    public void At_the_bottom_the_newest_rows_are_shown()
    {
        var rows = Lines(10).Visible(20, 3);
        Assert.Equal(new[] { "line 8", "line 9", "line 10" }, rows.Select(r => r.Text));
    }

    [Fact]
    public void Scrolled_back_it_stays_on_the_same_rows_while_lines_arrive()
    {
        var model = Lines(10).Scroll(4, 20, 3);
        Assert.Equal(new[] { "line 4", "line 5", "line 6" }, model.Visible(20, 3).Select(r => r.Text));
        model = model.Add(new TranscriptLine("line 11", LineKind.Live), 20);
        Assert.Equal(new[] { "line 4", "line 5", "line 6" }, model.Visible(20, 3).Select(r => r.Text));
        Assert.Equal(new[] { "line 9", "line 10", "line 11" }, model.Scroll(-100, 20, 3).Visible(20, 3).Select(r => r.Text));
    }

    [Fact]
    public void Scrolling_stops_at_the_oldest_row() =>
        Assert.Equal(new[] { "line 1", "line 2", "line 3" }, Lines(10).Scroll(1000, 20, 3).Visible(20, 3).Select(r => r.Text));

    [Fact]
    public void Long_lines_wrap_at_spaces_with_continuation_rows_indented()
    {
        Assert.Equal(["[10:00] bob: a long", "  line that wraps"], TranscriptModel.Wrap("[10:00] bob: a long line that wraps", 20));
        Assert.Equal(new[] { "abcdefghij", "  klmnop" }, TranscriptModel.Wrap("abcdefghijklmnop", 10));
    }

    [Fact]
    public void Wide_characters_count_two_columns()
    {
        var rows = TranscriptModel.Wrap("你好你好你好", 8);
        Assert.Equal(new[] { "你好你好", "  你好" }, rows);
    }

    [Fact]
    public void It_keeps_the_newest_lines_up_to_its_capacity()
    {
        var model = Lines(TranscriptModel.Capacity + 5);
        Assert.Equal(TranscriptModel.Capacity, model.Lines.Count);
        Assert.Equal("line 6", model.Lines.Head.Text);
    }

    [Fact]
    public void Events_read_as_in_the_line_mode_and_are_drawn_by_kind()
    {
        var at = new DateTimeOffset(2026, 12, 2, 10, 3, 0, TimeSpan.Zero);
        var message = new ServerEvent.Message(2, "bob", "hi alice") { At = at };
        Assert.Equal(new TranscriptLine("[10:03] bob: hi alice", LineKind.Mention), TranscriptLine.Of(message, "alice", at, history: false));
        Assert.Equal(LineKind.History, TranscriptLine.KindOf(message, "alice", history: true));
        Assert.Equal(LineKind.Error, TranscriptLine.KindOf(new ServerEvent.Error(400, "no"), "alice", history: false));
        Assert.Equal(LineKind.Whisper, TranscriptLine.KindOf(new ServerEvent.Whisper("bob", "alice", "x"), "alice", history: false));
        Assert.True(TranscriptLine.Of(new ServerEvent.Ping("t"), "alice", at, false).IsNone);
    }
}

public class StatusTextTests
{
    [Fact]
    public void It_tells_the_phase_the_server_and_tls_with_its_fingerprint()
    {
        Assert.Equal("not connected: fill in the login above and press Join", StatusText.Of(new Connection.Offline(""), bell: true));
        Assert.Equal("not connected: login refused: bad", StatusText.Of(new Connection.Offline("login refused: bad"), bell: true));
        Assert.Equal("connecting to h:1", StatusText.Of(new Connection.Online(ClientPhase.Connecting, "h:1", "alice", false, null), true));
        Assert.Equal("in the room as alice on h:1 · TLS SHA256:AB", StatusText.Of(new Connection.Online(ClientPhase.InRoom, "h:1", "alice", true, "SHA256:AB"), true));
        Assert.Equal("logging in to h:1 as alice · TLS · bell off", StatusText.Of(new Connection.Online(ClientPhase.AwaitingLogin, "h:1", "alice", true, null), false));
    }
}
