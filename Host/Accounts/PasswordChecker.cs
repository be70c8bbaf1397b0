using System.Collections.Concurrent;
using ChatRoom.Core.Auth;
using ChatRoom.Core.Protocol;
using ChatRoom.Core.Room;
using Microsoft.Extensions.Logging;

namespace ChatRoom.Host;

/// <summary>
/// Runs password checks and registrations on dedicated threads, away from the room's thread and from the thread
/// pool that carries socket I/O: hashing is slow on purpose (about 0.1 s), and a storm of logins must never
/// delay chat delivery. It decides nothing: the room caps how many jobs are pending (so the queue here never
/// holds more than that), says which to drop, and decides what a verdict means. Every job is answered exactly
/// once, with <see cref="Input.LoginChecked"/> or <see cref="Input.Registered"/>, so the room's count of
/// pending checks is always right.
/// </summary>
public sealed class PasswordChecker : IDisposable
{
    private sealed class Job(ConnectionId id, string nick, string password, bool register)
    {
        public ConnectionId Id { get; } = id;
        public string Nick { get; } = nick;
        public string Password { get; } = password;
        public bool Register { get; } = register;
        public volatile bool Cancelled;
    }

    private readonly BlockingCollection<Job> _jobs;
    private readonly ConcurrentDictionary<ConnectionId, Job> _waiting = new();
    private readonly IAccounts _users;
    private readonly Func<UserDirectory, string, string, AuthVerdict> _authenticate;
    private readonly Action<Input> _post;
    private readonly TimeProvider _clock;
    private readonly ILogger _log;

    /// <param name="capacity">The room's cap on pending checks: the queue is bounded by it as a second guard.</param>
    /// <param name="authenticate">The check itself: <see cref="Authenticator.Authenticate"/> (tests pass one they control).</param>
    public PasswordChecker(IAccounts users, int workers, int capacity, Action<Input> post, TimeProvider clock, ILogger log,
        Func<UserDirectory, string, string, AuthVerdict>? authenticate = null)
    {
        _authenticate = authenticate ?? Authenticator.Authenticate;
        _jobs = new BlockingCollection<Job>(Math.Max(1, capacity));
        _users = users;
        _post = post;
        _clock = clock;
        _log = log;
        for (var i = 0; i < workers; i++)
            new Thread(Work) { IsBackground = true, Name = $"password-check-{i}" }.Start();
    }

    public void Check(Effect.CheckPassword check) => Enqueue(new Job(check.Id, check.Nick, check.Password, register: false));

    public void Register(Effect.Register register) => Enqueue(new Job(register.Id, register.Nick, register.Password, register: true));

    /// <summary>Drops the connection's job if it has not started; it is then answered <see cref="AuthVerdict.Skipped"/>.</summary>
    public void Cancel(ConnectionId id)
    {
        if (_waiting.TryGetValue(id, out var job)) job.Cancelled = true;
    }

    private void Enqueue(Job job)
    {
        _waiting[job.Id] = job;
        if (_jobs.IsAddingCompleted || !_jobs.TryAdd(job))
        {
            // The room's cap keeps this from happening; if it does, the job is answered at once so its place is freed.
            _waiting.TryRemove(job.Id, out _);
            if (!_jobs.IsAddingCompleted) _log.LogError("password check queue full; skipping the check for {Connection}", job.Id.ToString());
            _post(new Input.LoginChecked(job.Id, job.Nick, AuthVerdict.Skipped, _clock.GetUtcNow()));
        }
    }

    private void Work()
    {
        if (LowPriority.ApplyToCurrentThread() is { } failure)
            _log.LogWarning("could not lower the priority of {Thread} ({Reason}); password checks compete with chat for the CPU",
                Thread.CurrentThread.Name, failure);
        foreach (var job in _jobs.GetConsumingEnumerable())
        {
            _waiting.TryRemove(new KeyValuePair<ConnectionId, Job>(job.Id, job));
            Input answer;
            try
            {
                answer = job.Cancelled ? new Input.LoginChecked(job.Id, job.Nick, AuthVerdict.Skipped, _clock.GetUtcNow())
                    : job.Register ? Registration(job)
                    : Verdict(job);
            }
            catch (Exception e)
            {
                // A bug here must still answer the job, in the form the room waits for, or its place is never freed.
                _log.LogError(e, "password check failed for {Nick}", job.Nick);
                answer = job.Register
                    ? new Input.Registered(job.Id, job.Nick, RegistrationResult.Failed, _clock.GetUtcNow())
                    : new Input.LoginChecked(job.Id, job.Nick, AuthVerdict.WrongPassword, _clock.GetUtcNow());
            }
            _post(answer);
        }
    }

    /// <summary>
    /// The verdict, with the nickname as the account spells it ("alice", not "ALICE"): the room shows that one,
    /// and, when accepted, the stamp of the hash the password matched (the session's tokens are bound to it).
    /// One snapshot of the users file serves all three, so the stamp is that of the password just checked even
    /// if <c>users passwd</c> changes it meanwhile.
    /// </summary>
    private Input Verdict(Job job)
    {
        var users = _users.Current;
        var verdict = _authenticate(users, job.Nick, job.Password);
        var account = users.Find(job.Nick);
        var spelled = account.Map(a => a.Nick).IfNone(job.Nick);
        var stamp = verdict == AuthVerdict.Accepted ? account.Map(a => a.Hash.Stamp()).IfNone("") : "";
        return new Input.LoginChecked(job.Id, spelled, verdict, _clock.GetUtcNow(), stamp);
    }

    private Input Registration(Job job)
    {
        // A look-alike is refused before its password is hashed: the refusal costs no second hash.
        if (_users.Current.Find(job.Nick).IsNone && _users.Current.LookalikeOf(job.Nick).IsSome)
            return new Input.Registered(job.Id, job.Nick, RegistrationResult.LooksLike, _clock.GetUtcNow());
        // Hashed before the users file is locked: other writers wait only for the read and the write.
        var account = new UserAccount(job.Nick, _users.Hash(job.Password));
        var result = _users.Update(d => d.Add(account)).Match(
            _ => RegistrationResult.Created,
            e =>
            {
                if (_users.Current.Find(job.Nick).IsSome) return RegistrationResult.Exists;
                if (e.Code == ErrorCodes.LooksLike) return RegistrationResult.LooksLike;
                _log.LogWarning("registration of {Nick} failed: {Reason}", job.Nick, e.Message);
                return RegistrationResult.Failed;
            });
        return new Input.Registered(job.Id, job.Nick, result, _clock.GetUtcNow(),
            result == RegistrationResult.Created ? account.Hash.Stamp() : "");
    }

    public void Dispose() => _jobs.CompleteAdding();
}
