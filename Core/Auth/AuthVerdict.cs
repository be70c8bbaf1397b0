namespace ChatRoom.Core.Auth;

/// <summary>The answer to a password check. The client is told only accepted or refused, never which refusal.</summary>
public enum AuthVerdict
{
    /// <summary>The nickname exists and the password matches.</summary>
    Accepted,
    /// <summary>The nickname was unknown and open registration created it with this password.</summary>
    Registered,
    /// <summary>No such account.</summary>
    UnknownUser,
    /// <summary>The account exists but the password does not match.</summary>
    WrongPassword,
    /// <summary>
    /// The job (a check or a registration) was dropped before it ran, because the room cancelled it (its connection
    /// was gone); the room frees its place.
    /// </summary>
    Skipped,
}

/// <summary>What became of a registration the room asked for (open registration).</summary>
public enum RegistrationResult
{
    /// <summary>The account was created with the given password.</summary>
    Created,
    /// <summary>Someone created an account with that nickname first: the password must be checked against it.</summary>
    Exists,
    /// <summary>The users file could not be written.</summary>
    Failed,
    /// <summary>The nickname looks like an existing account's (see <see cref="Names.Lookalike"/>): refused.</summary>
    LooksLike,
}
