using System.Collections.Concurrent;
using ChatRoom.Core.Protocol;
using ChatRoom.Core.Room;
using FsCheck;
using LanguageExt;
using static LanguageExt.Prelude;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace ChatRoom.Host.Tests;

/// <summary>
/// The room's shell, <see cref="RoomLoop"/>, takes inputs in batches, commits the memory log's appends at the end of
/// each batch and applies token answers right after the step that asked for them. Whatever the batches, it must be
/// the reducer and nothing else: it applies every input posted, once and in order, its state is <see cref="Room.Run"/>
/// over what it applied, and it commits every append that run asks for, once, in order, with seqs 1, 2, 3...
/// (Not the room an instant log gives: a SAY that arrives in the batch of its sender's RESUME, before the JOINED is
/// committed, meets a member not yet in the room; a real client waits for WELCOME, which comes with the commit.)
/// </summary>
public class RoomLoopProperties
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private static readonly Secret Good = new("GOODGOODGOODGOODGOODGOOD"), Bad = new("BADBADBADBADBADBADBADBAD");
    private static readonly string[] Nicks = ["alice", "bob", "ALICE"];

    /// <summary>Resume tokens answered at once, as the host's are: <see cref="Good"/> is valid for anyone.</summary>
    private sealed class Tokens(TimeProvider clock) : ITokens
    {
        public Input.TokenChecked Check(Effect.CheckToken check) =>
            new(check.Id, check.Nick, check.Token == Good ? Some(T0.AddDays(30)) : None, clock.GetUtcNow());

        public void Issue(Effect.IssueToken issue) { }

        public void Revoke(Effect.RevokeToken revoke) { }

        public void Dispose() { }
    }

    private static Gen<Input[]> Inputs =>
        (from id in Gen.Choose(1, 3)
         from kind in Gen.Frequency((2, Gen.Constant(0)), (3, Gen.Constant(1)), (6, Gen.Constant(2)), (1, Gen.Constant(3)), (1, Gen.Constant(4)), (1, Gen.Constant(5)))
         from nick in Gen.Elements(Nicks)
         from good in Gen.Frequency((4, Gen.Constant(true)), (1, Gen.Constant(false)))
         from n in Gen.Choose(0, 999)
         select (Func<DateTimeOffset, Input>)(at => kind switch
         {
             0 => new Input.Opened(new(id), "10.0.0.1", 40000 + id, at),
             1 => new Input.Received(new(id), FinSucc<Command>(new Command.Resume(nick, good ? Good : Bad)), at),
             2 => new Input.Received(new(id), FinSucc<Command>(new Command.Say($"line {n}")), at),
             3 => new Input.Received(new(id), FinSucc<Command>(new Command.Who()), at),
             4 => new Input.Closed(new(id), "connection reset", at),
             _ => new Input.Tick(at),
         }))
        .ArrayOf()
        // Mostly long runs, so that the loop takes many inputs in one batch; always all three connections opened first.
        .Select(makers => makers.Length < 10 ? [.. makers, .. makers, .. makers, .. makers] : makers)
        .Select(makers => Enumerable.Range(1, 3).Select(id => (Func<DateTimeOffset, Input>)(at => new Input.Opened(new(id), "10.0.0.1", 40000 + id, at)))
            .Concat(makers).Select((make, i) => make(T0.AddMilliseconds(i * 10))).ToArray());

    [Property(MaxTest = 60)]
    public Property The_batched_loop_applies_every_input_once_in_order_and_is_Room_Run_over_what_it_applied() =>
        Prop.ForAll(Inputs.ToArbitrary(), inputs =>
        {
            var settings = RoomSettings.Default;
            var clock = new FakeTimeProvider(T0);
            var folder = Directory.CreateTempSubdirectory("chatroom-roomloop-");
            var applied = new List<Input>();
            try
            {
                var users = UserStore.Open(Path.Combine(folder.FullName, "users.txt"), 1).IfFail(e => throw new InvalidOperationException(e.Message));
                var loop = new RoomLoop(settings, 100_000, new ConcurrentDictionary<ConnectionId, Connection>(),
                    room => new PasswordChecker(users, 1, 16, i => room.Post(i), clock, NullLogger.Instance),
                    TimeSpan.Zero, clock, NullLogger.Instance, tokens: _ => new Tokens(clock)) { Applying = applied.Add };
                using (loop)
                {
                    // Posted before the thread starts taking them, so that the first batches are full.
                    loop.Start();
                    foreach (var input in inputs) Assert.True(loop.Post(input));
                    loop.Stop(TimeSpan.FromSeconds(30));
                }
                var state = loop.State;
                var own = applied.Where(i => i is Input.Recovered or Input.Committed or Input.TokenChecked).ToList();
                var posted = applied.Where(i => i is not (Input.Recovered or Input.Committed or Input.TokenChecked)).ToList();
                var committed = applied.OfType<Input.Committed>().SelectMany(c => c.Entries).Select(e => e.Seq).ToList();

                var run = Room.Run(RoomState.Empty(settings), applied);
                var asked = run.Effects.Choose(e => e is Effect.Append append ? Some(append.Draft.Event) : None).ToList();
                var written = applied.OfType<Input.Committed>().SelectMany(c => c.Entries).Select(e => e.Event).ToList();

                return Prop.Label(applied.Count > 0 && applied[0] is Input.Recovered, "the recovery is applied first")
                    .And(Prop.Label(posted.SequenceEqual(inputs), "every input posted is applied once, in order"))
                    .And(Prop.Label(run.State == state, "the loop's state is Room.Run over what it applied"))
                    .And(Prop.Label(committed.SequenceEqual(Enumerable.Range(1, committed.Count).Select(n => (long)n)), "the log commits seqs 1, 2, 3... once each"))
                    .And(Prop.Label(written.SequenceEqual(asked), $"every append the reducer asked for is committed once, in order ({asked.Count} asked, {written.Count} written)"))
                    .And(Prop.Label(state.Uncommitted == 0, "nothing is left uncommitted"))
                    .Classify(applied.OfType<Input.Committed>().Any(c => c.Entries.Count > 1), "a commit held several appends")
                    .Classify(own.Count(i => i is Input.TokenChecked) > 0, "someone resumed");
            }
            finally
            {
                folder.Delete(recursive: true);
            }
        });
}
