using System.Collections.Concurrent;
using ChatRoom.Core.Auth;
using ChatRoom.Core.Room;
using Microsoft.Extensions.Logging;

namespace ChatRoom.Host;

/// <summary>
/// Checks passwords on dedicated threads, away from the room's thread and from the thread pool that carries
/// socket I/O: hashing is slow on purpose (about 0.1 s), and a storm of logins must never delay chat delivery.
/// Each verdict goes back to the room as an <see cref="Input.LoginChecked"/>.
/// </summary>
public sealed class PasswordChecker : IDisposable
{
    private readonly BlockingCollection<Effect.CheckPassword> _jobs = new();
    private readonly UserStore _users;
    private readonly bool _openRegistration;
    private readonly Action<Input> _post;
    private readonly TimeProvider _clock;
    private readonly ILogger _log;
    private readonly Thread[] _workers;

    public PasswordChecker(UserStore users, bool openRegistration, int workers, Action<Input> post, TimeProvider clock, ILogger log)
    {
        _users = users;
        _openRegistration = openRegistration;
        _post = post;
        _clock = clock;
        _log = log;
        _workers = Enumerable.Range(0, workers).Select(i => new Thread(Work)
        {
            IsBackground = true,
            Name = $"password-check-{i}",
        }).ToArray();
        foreach (var worker in _workers) worker.Start();
    }

    public void Enqueue(Effect.CheckPassword job)
    {
        if (!_jobs.IsAddingCompleted) _jobs.Add(job);
    }

    private void Work()
    {
        if (LowPriority.ApplyToCurrentThread() is { } failure)
            _log.LogWarning("could not lower the priority of {Thread} ({Reason}); password checks compete with chat for the CPU",
                Thread.CurrentThread.Name, failure);
        foreach (var job in _jobs.GetConsumingEnumerable())
        {
            (AuthVerdict Verdict, string Nick) result;
            try
            {
                result = Check(job);
            }
            catch (Exception e)
            {
                _log.LogError(e, "password check failed for {Nick}", job.Nick);
                result = (AuthVerdict.WrongPassword, job.Nick);
            }
            _post(new Input.LoginChecked(job.Id, result.Nick, result.Verdict, _clock.GetUtcNow()));
        }
    }

    /// <summary>
    /// The verdict, with the nickname as the account spells it ("alice", not "ALICE"): that is the one the
    /// room shows. One snapshot of the users file serves both.
    /// </summary>
    private (AuthVerdict Verdict, string Nick) Check(Effect.CheckPassword job)
    {
        string Spelled(UserDirectory users) => users.Find(job.Nick).Map(a => a.Nick).IfNone(job.Nick);

        var users = _users.Current;
        var verdict = Authenticator.Authenticate(users, job.Nick, job.Password);
        if (verdict != AuthVerdict.UnknownUser || !_openRegistration) return (verdict, Spelled(users));

        var registered = _users.Update(d => d.Add(new UserAccount(job.Nick, _users.Hash(job.Password))));
        return registered.Match(
            _ => (AuthVerdict.Registered, job.Nick),
            e =>
            {
                // Most likely someone registered the same nick a moment ago: check against that account.
                _log.LogWarning("registration of {Nick} failed: {Reason}", job.Nick, e.Message);
                var now = _users.Current;
                return (Authenticator.Authenticate(now, job.Nick, job.Password), Spelled(now));
            });
    }

    public void Dispose() => _jobs.CompleteAdding();
}
