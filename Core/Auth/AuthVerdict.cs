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
}
