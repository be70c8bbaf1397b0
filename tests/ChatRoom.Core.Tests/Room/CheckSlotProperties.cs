using ChatRoom.Core.Auth;
using ChatRoom.Core.Protocol;
using ChatRoom.Core.Room;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace ChatRoom.Core.Tests.Room;

/// <summary>
/// Every place under the password-check caps is given back: with a model of the shell's checker that answers
/// every job once, as Host/Accounts/PasswordChecker.cs does (a cancelled job of either kind is answered Skipped), the
/// room's pending checks drain to none once the checker has caught up, whatever the clients did meanwhile.
/// </summary>
public class CheckSlotProperties
{
    private abstract record Step;
    private sealed record Client(Func<DateTimeOffset, Input> Make) : Step;
    private sealed record Answer(AuthVerdict Verdict, RegistrationResult Result) : Step;

    private sealed record Job(ConnectionId Id, string Nick, bool Register)
    {
        public bool Cancelled { get; set; }
    }

    private static readonly Gen<Step> OneStep =
        from id in Gen.Choose(1, 6).Select(i => new ConnectionId(i))
        from nick in Gen.Elements("alice", "bob", "carol")
        from kind in Gen.Choose(0, 9)
        from verdict in Gen.Elements(AuthVerdict.Accepted, AuthVerdict.WrongPassword, AuthVerdict.UnknownUser)
        from result in Gen.Elements(RegistrationResult.Created, RegistrationResult.Exists, RegistrationResult.Failed, RegistrationResult.LooksLike)
        select kind switch
        {
            0 or 1 => (Step)new Client(at => new Input.Opened(id, "10.0.0." + id.Value % 2, 1000, at)),
            2 or 3 => new Client(at => new Input.Received(id, CommandCodec.Decode($"LOGIN {nick} pw"), at)),
            4 => new Client(at => new Input.Closed(id, "reset", at)),
            5 => new Client(at => new Input.Tick(at)),
            6 => new Client(at => new Input.Received(id, CommandCodec.Decode("QUIT"), at)),
            _ => new Answer(verdict, result),
        };

    private static readonly RoomSettings Settings = RoomSettings.Default with { OpenRegistration = true, LoginTimeout = TimeSpan.FromSeconds(3) };

    [Property(MaxTest = 500)]
    public Property Pending_checks_drain_to_none_once_the_checker_has_answered_every_job() =>
        Prop.ForAll(Gen.ListOf(OneStep).ToArbitrary(), steps =>
        {
            var state = RoomState.Empty(Settings);
            var jobs = new Queue<Job>();
            var at = Scenario.T0;
            var answered = 0;

            void Apply(Input input)
            {
                var outcome = ChatRoom.Core.Log.InstantLog.Step(state, input);
                state = outcome.State;
                foreach (var effect in outcome.Effects)
                {
                    switch (effect)
                    {
                        case Effect.CheckPassword c: jobs.Enqueue(new Job(c.Id, c.Nick, false)); break;
                        case Effect.Register r: jobs.Enqueue(new Job(r.Id, r.Nick, true)); break;
                        case Effect.CancelCheck x:
                            foreach (var job in jobs.Where(j => j.Id == x.Id)) job.Cancelled = true;
                            break;
                    }
                }
            }

            void AnswerOne(AuthVerdict verdict, RegistrationResult result)
            {
                var job = jobs.Dequeue();
                answered++;
                at = at.AddMilliseconds(200);
                Apply(job.Cancelled ? new Input.LoginChecked(job.Id, job.Nick, AuthVerdict.Skipped, at)
                    : job.Register ? new Input.Registered(job.Id, job.Nick, result, at)
                    : new Input.LoginChecked(job.Id, job.Nick, verdict, at));
            }

            foreach (var step in steps)
            {
                at = at.AddMilliseconds(500);
                if (step is Client client) Apply(client.Make(at));
                else if (step is Answer answer && jobs.Count > 0) AnswerOne(answer.Verdict, answer.Result);
            }
            for (var i = 0; i < 10_000 && jobs.Count > 0; i++) AnswerOne(AuthVerdict.WrongPassword, RegistrationResult.Exists);

            return (jobs.Count == 0 && state.Checks.IsEmpty)
                .Label($"{state.Checks.Count} checks still pending, {jobs.Count} jobs unanswered")
                .Classify(answered > 3, "answered more than 3 jobs");
        });
}
