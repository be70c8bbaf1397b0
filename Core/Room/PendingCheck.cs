namespace ChatRoom.Core.Room;

/// <summary>
/// A password check (or a registration) the shell is working on for one connection. It holds the password
/// until the shell answers, because open registration may need a second step with it; its text form never
/// shows it.
/// </summary>
/// <param name="Address">Where the LOGIN came from: its refusal counts there even if the connection is gone.</param>
/// <param name="Nick">The nickname as typed.</param>
/// <param name="Password">The password as typed.</param>
/// <param name="Registering">True once the shell was asked to create the account.</param>
/// <param name="Attempt">How many checks this LOGIN has had (a registration race asks for a second).</param>
public sealed record PendingCheck(string Address, string Nick, string Password, bool Registering, int Attempt)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"PendingCheck {{ Address = {Address}, Nick = {Nick}, Password = ***, Registering = {Registering}, Attempt = {Attempt} }}";
}
