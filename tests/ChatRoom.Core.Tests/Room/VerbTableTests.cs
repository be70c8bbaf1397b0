using ChatRoom.Core.Protocol;
using ChatRoom.Core.Room;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace ChatRoom.Core.Tests.Room;

/// <summary>
/// The table of verbs (<see cref="ChatRoom.Core.Room.Room.Verbs"/>) is the one place a verb is written: these tests
/// hold it complete, and hold the codec and the state table, which are derived from it, to it.
/// </summary>
[Properties(Arbitrary = [typeof(ProtocolArbitraries)], MaxTest = 500)]
public class VerbTableTests
{
    private static readonly Seq<Verb> Verbs = ChatRoom.Core.Room.Room.Verbs;

    [Fact]
    public void Every_command_case_has_exactly_one_verb()
    {
        // Reflection is fine here (the table itself uses none): it finds a Command case added without an entry.
        var cases = typeof(Command).GetNestedTypes().Where(t => t.IsSubclassOf(typeof(Command))).Select(t => t.Name).Order();
        Assert.Equal(cases, Verbs.Select(v => v.CommandType.Name).Order());
    }

    [Fact]
    public void Verb_names_are_distinct_upper_case_words_and_open_their_usage()
    {
        Assert.Equal(Verbs.Count, Verbs.Select(v => v.Name).Distinct().Count());
        foreach (var verb in Verbs)
        {
            Assert.True(verb.Name.All(char.IsAsciiLetterUpper), verb.Name);
            Assert.True(verb.Usage == verb.Name || verb.Usage.StartsWith(verb.Name + " ", StringComparison.Ordinal), verb.Usage);
        }
    }

    [Fact]
    public void Every_verb_has_a_rule_for_every_phase_and_a_closed_connection_ignores_them_all()
    {
        foreach (var verb in Verbs)
        foreach (var phase in StateTable.Phases)
        {
            Assert.NotNull(verb.RuleIn(phase));
            Assert.Equal(phase == Phase.Closed, verb.RuleIn(phase) is Rule.Ignore);
        }
    }

    [Fact]
    public void The_state_table_is_derived_from_the_verbs()
    {
        Assert.Equal(Verbs.Map(v => v.Name), StateTable.Verbs);
        foreach (var verb in Verbs)
        foreach (var phase in StateTable.Phases)
            Assert.Equal(verb.RuleIn(phase), StateTable.For(phase, verb.Name));
    }

    [Theory]
    [InlineData("LOGIN", Phase.CheckingPassword, "ERROR 403 login already in progress")]
    [InlineData("LOGIN", Phase.InRoom, "ERROR 403 identity cannot be changed after joining")]
    [InlineData("RESUME", Phase.CheckingPassword, "ERROR 403 login already in progress")]
    [InlineData("RESUME", Phase.InRoom, "ERROR 403 identity cannot be changed after joining")]
    [InlineData("PROTOCOL", Phase.CheckingPassword, "ERROR 403 protocol cannot be changed after LOGIN")]
    [InlineData("PROTOCOL", Phase.InRoom, "ERROR 403 protocol cannot be changed after LOGIN")]
    [InlineData("SAY", Phase.AwaitingLogin, "ERROR 401 log in first")]
    [InlineData("HISTORY", Phase.CheckingPassword, "ERROR 401 log in first")]
    [InlineData("TOKEN", Phase.InRoom, "accepted")]
    [InlineData("PING", Phase.CheckingPassword, "accepted")]
    [InlineData("QUIT", Phase.InRoom, "accepted")]
    [InlineData("LOGIN", Phase.AwaitingLogin, "accepted")]
    public void A_verb_refused_in_a_state_is_answered_with_its_own_reason(string name, Phase phase, string expected) =>
        Assert.Equal(expected, Verb.Named(name)!.RuleIn(phase) switch
        {
            Rule.Refuse(var code, var text) => $"ERROR {code} {text}",
            Rule.Accept => "accepted",
            _ => "ignored",
        });

    [Fact]
    public void A_word_that_is_no_verb_is_refused_as_unknown_and_ignored_once_closed()
    {
        Assert.Equal(new Rule.Refuse(ErrorCodes.Malformed, "unknown command"), StateTable.For(Phase.InRoom, "JUMP"));
        Assert.Equal(new Rule.Ignore(), StateTable.For(Phase.Closed, "JUMP"));
    }

    [Theory]
    [InlineData("WHO now", "WHO")]
    [InlineData("token please", "TOKEN")]
    [InlineData("FORGET me", "FORGET")]
    [InlineData("WHISPER bob", "WHISPER")]
    [InlineData("RESUME alice not/a/token", "RESUME")]
    [InlineData("PROTOCOL two", "PROTOCOL")]
    [InlineData("HISTORY AFTER 5 10", "HISTORY")]
    public void A_verb_with_the_wrong_parameters_is_answered_with_its_usage(string line, string name)
    {
        var error = CommandCodec.Decode(line).Match(c => throw new InvalidOperationException($"decoded {c}"), e => e);
        Assert.Equal((ErrorCodes.Malformed, $"usage: {Verb.Named(name)!.Usage}"), (error.Code, error.Message));
    }

    [Property]
    public Property Every_command_is_written_with_its_own_verb_and_decodes_back_to_it(Command command)
    {
        var verb = Verb.Of(command);
        var line = CommandCodec.Encode(command).IfFail("");
        var word = line.Split(' ')[0];
        var back = CommandCodec.Decode(line).Map(c => Verb.Of(c)?.Name ?? "?").IfFail("?");
        return (verb is not null && word == verb.Name && back == verb.Name)
            .Label($"{command}: verb {verb?.Name}, line '{line}', decoded as {back}")
            .Collect(word);
    }

    [Fact]
    public void Each_verb_costs_what_the_rate_limit_says()
    {
        var settings = RoomSettings.Default;
        var room = RoomState.Initial with { RosterBytes = 5 * settings.WhoBytesPerToken + 3 };
        double Cost(Command c) => Verb.Of(c)!.Cost(room, c);
        Assert.Equal(0, Cost(new Command.Quit("")));
        Assert.Equal(1, Cost(new Command.Say("hi")));
        Assert.Equal(1, Cost(new Command.Ping("")));
        Assert.Equal(6, Cost(new Command.Who()));
        Assert.Equal(1 + 30 / settings.HistoryEventsPerToken, Cost(new Command.History(10, 30)));
        Assert.Equal(Math.Min(settings.RateBurst, 1 + settings.MaxHistoryPage / settings.HistoryEventsPerToken), Cost(new Command.History(10, 1_000_000)));
    }
}
