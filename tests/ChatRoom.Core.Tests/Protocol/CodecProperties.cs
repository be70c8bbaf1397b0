using ChatRoom.Core.Protocol;
using ChatRoom.Core.Room;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace ChatRoom.Core.Tests.Protocol;

[Properties(Arbitrary = [typeof(ProtocolArbitraries)], MaxTest = 1000)]
public class CodecProperties
{
    [Property]
    public Property Decode_of_Encode_is_identity_for_every_valid_command(Command command)
    {
        var line = CommandCodec.Encode(command);
        var back = line.Bind(CommandCodec.Decode);
        return (line.IsSucc && back == command)
            .Label($"{command} -> {line} -> {back}")
            .Classify(command is Command.Login { Password: var p } && p.Contains(' '), "password with spaces")
            .Collect(StateTable.VerbOf(command));
    }

    [Property]
    public Property Decode_of_Encode_is_identity_for_every_valid_event(ServerEvent e)
    {
        var line = EventCodec.Encode(e);
        var back = line.Bind(EventCodec.Decode);
        return (line.IsSucc && back == e).Label($"{e} -> {line} -> {back}").Collect(e.GetType().Name);
    }

    [Property]
    public bool Encoded_lines_never_hold_CR_LF_or_NUL(ServerEvent e) =>
        EventCodec.Encode(e).Match(line => line.IndexOfAny(['\r', '\n', '\0']) < 0, _ => false);

    [Property]
    public Property The_wire_encoder_writes_the_bytes_of_Encode_and_ToWire_and_refuses_the_same_events() =>
        Prop.ForAll(
            Generators.Event.ToArbitrary(),
            Gen.Elements("valid", "poisoned field", "negative seq").ToArbitrary(),
            (from insert in Gen.Elements("", "\n", "\0", " ", "\u202e", "é", "北落")
             from at in Gen.Choose(0, 1000)
             select (insert, at)).ToArbitrary(),
            (valid, variant, change) =>
            {
                var (insert, where) = change;
                var e = variant switch
                {
                    "poisoned field" => Poison(valid, insert, where).IfNone(valid),
                    "negative seq" => valid switch
                    {
                        ServerEvent.Message m => m with { Seq = -1 - where },
                        ServerEvent.Joined j => j with { Seq = -1 - where },
                        ServerEvent.Left l => l with { Seq = -1 - where },
                        var other => other,
                    },
                    _ => valid,
                };
                var expected = EventCodec.Encode(e).Map(LineFramer.ToWire);
                var actual = EventCodec.EncodeLine(e);
                var same = expected.Match(
                    bytes => actual.Match(b => b.AsSpan().SequenceEqual(bytes), _ => false),
                    error => actual.Match(_ => false, err => err.Code == error.Code));
                return same.Label($"{e}: {expected} vs {actual}")
                    .Collect($"{variant}, {(expected.IsSucc ? "encoded" : "refused")}");
            });

    [Property(MaxTest = 3000)]
    public Property Decode_never_throws_on_arbitrary_input() =>
        Prop.ForAll(Generators.AnyLine.ToArbitrary(), line =>
        {
            var command = CommandCodec.Decode(line);
            var e = EventCodec.Decode(line);
            // A decoded value always encodes again: the decoder only lets through what the encoder accepts.
            return command.Match(c => CommandCodec.Encode(c).IsSucc, err => err.Code is 400 or 422)
                   && e.Match(v => EventCodec.Encode(v).IsSucc, err => err.Code is 400 or 422);
        });

    [Property]
    public Property Encoder_refuses_CR_LF_and_NUL_inside_any_field() =>
        Prop.ForAll(
            Generators.Event.ToArbitrary(),
            Gen.Elements("\r", "\n", "\0", "\r\n").ToArbitrary(),
            Gen.Choose(0, 1000).ToArbitrary(),
            (e, bad, where) =>
            {
                var poisoned = Poison(e, bad, where);
                return poisoned.Select(p => EventCodec.Encode(p).IsFail).IfNone(true)
                    .Label($"{poisoned} was encoded");
            });

    [Property]
    public Property Command_encoder_refuses_CR_LF_and_NUL_inside_any_field() =>
        Prop.ForAll(
            Generators.Command.ToArbitrary(),
            Gen.Elements("\r", "\n", "\0").ToArbitrary(),
            (c, bad) =>
            {
                Command poisoned = c switch
                {
                    Command.Login l => l with { Password = l.Password + bad + "x" },
                    Command.Say s => s with { Text = bad + s.Text },
                    Command.Whisper w => w with { Text = w.Text + bad },
                    Command.Ping p => p with { Token = p.Token + bad },
                    Command.Pong p => p with { Token = bad + p.Token },
                    Command.Quit q => q with { Reason = q.Reason + bad },
                    Command.Resume r => r with { Token = new Secret(r.Token.Value + bad) },
                    _ => new Command.Say(bad),
                };
                return CommandCodec.Encode(poisoned).IsFail.Label($"{poisoned} was encoded");
            });

    /// <summary>The event with <paramref name="bad"/> inserted into one of its string fields; None for HELLO's constant.</summary>
    private static Option<ServerEvent> Poison(ServerEvent e, string bad, int where)
    {
        string Into(string s) => s.Insert(where % (s.Length + 1), bad);
        return e switch
        {
            ServerEvent.Welcome w => w with { Nick = Into(w.Nick) },
            ServerEvent.Users u => u with { Nicks = u.Nicks.Add(Into("bob")) },
            ServerEvent.Denied d => d with { Reason = Into(d.Reason) },
            ServerEvent.Joined j => j with { Nick = Into(j.Nick) },
            ServerEvent.Left l => where % 2 == 0 ? l with { Reason = Into(l.Reason) } : l with { Nick = Into(l.Nick) },
            ServerEvent.Message m => where % 2 == 0 ? m with { Text = Into(m.Text) } : m with { From = Into(m.From) },
            ServerEvent.Whisper w => w with { Text = Into(w.Text) },
            ServerEvent.Ping p => p with { Token = Into(p.Token) },
            ServerEvent.Pong p => p with { Token = Into(p.Token) },
            ServerEvent.Error x => x with { Text = Into(x.Text) },
            ServerEvent.Bye b => b with { Reason = Into(b.Reason) },
            ServerEvent.Hello h => h with { Product = Into(h.Product) },
            ServerEvent.TokenIssued t => t with { Token = new Secret(Into(t.Token.Value)) },
            _ => None,
        };
    }
}

/// <summary>Resume tokens are secrets: their verbs round-trip on the wire, and no text form ever shows them.</summary>
[Properties(Arbitrary = [typeof(ProtocolArbitraries)], MaxTest = 500)]
public class TokenCodecProperties
{
    [Property]
    public Property RESUME_round_trips_with_its_exact_wire_text() =>
        Prop.ForAll(Generators.Nick.ToArbitrary(), Generators.Token.ToArbitrary(), (nick, token) =>
        {
            var command = new Command.Resume(nick, token);
            var line = CommandCodec.Encode(command);
            return (line == FinSucc($"RESUME {nick} {token.Value}") && line.Bind(CommandCodec.Decode) == command)
                .Label($"{nick} -> {line}");
        });

    [Property]
    public Property TOKEN_reply_round_trips_with_its_exact_wire_text() =>
        Prop.ForAll(Generators.Token.ToArbitrary(), Generators.Expires.ToArbitrary(), (token, expires) =>
        {
            var e = new ServerEvent.TokenIssued(token, expires);
            var line = EventCodec.Encode(e);
            var text = $"TOKEN {token.Value} {expires.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}";
            return (line == FinSucc(text) && line.Bind(EventCodec.Decode) == e).Label($"{line}");
        });

    [Property]
    public Property No_text_form_shows_a_token() =>
        Prop.ForAll(Generators.Nick.ToArbitrary(), Generators.Token.ToArbitrary(), Generators.Expires.ToArbitrary(), (nick, token, expires) =>
        {
            var id = new ConnectionId(7);
            object[] holders =
            [
                new Command.Resume(nick, token),
                new ServerEvent.TokenIssued(token, expires),
                new Effect.CheckToken(id, nick, token),
                new Effect.RevokeToken(nick, token),
                new Effect.IssueToken(id, nick, expires, Some(token), 16, "stamp"),
                new Input.TokenIssued(id, nick, Some(token), expires, expires),
                new PendingResume("10.0.0.1", nick, token),
                new Session(id, "10.0.0.1", 1, Phase.InRoom, nick, expires, expires, None, default) { Token = Some(token) },
            ];
            return holders.All(h => !h.ToString()!.Contains(token.Value, StringComparison.Ordinal))
                .Label(string.Join(" | ", holders.Select(h => h.ToString())));
        });

    [Theory]
    [InlineData("RESUME alice short", 400)]
    [InlineData("RESUME alice has+plus/slash=padding=====", 400)]
    [InlineData("RESUME b@d AAAAAAAAAAAAAAAAAAAAAAAA", 422)]
    [InlineData("TOKEN please", 400)]
    [InlineData("FORGET everything", 400)]
    public void Malformed_token_lines_are_refused_by_the_decoder(string line, int code) =>
        Assert.Equal(code, CommandCodec.Decode(line).Match(_ => 0, e => e.Code));

    [Fact]
    public void RESUME_without_its_parts_decodes_for_the_room_to_refuse() =>
        Assert.Equal(FinSucc<Command>(new Command.Resume("alice", Secret.None)), CommandCodec.Decode("RESUME alice"));

    [Fact]
    public void The_encoder_refuses_an_expiry_that_is_not_a_whole_UTC_second()
    {
        var token = new Secret(new string('A', 43));
        Assert.True(EventCodec.Encode(new ServerEvent.TokenIssued(token, new DateTimeOffset(2026, 1, 1, 0, 0, 0, 500, TimeSpan.Zero))).IsFail);
        Assert.True(EventCodec.Encode(new ServerEvent.TokenIssued(token, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.FromHours(1)))).IsFail);
    }
}
