using ChatRoom.Core.Protocol;
using LanguageExt.Common;

namespace ChatRoom.Core.Client;

/// <summary>
/// What the client checks before it connects, as the original window did before "join": a nickname and a
/// password must both be there, and fit the protocol. Nothing is sent when this fails.
/// </summary>
public static class LoginCheck
{
    /// <summary>The refusal for an empty nickname or password.</summary>
    public const string Required = "nickname and password are required";

    /// <summary>Succeeds for a valid nickname and a non-empty password without control characters.</summary>
    public static Fin<Unit> Check(string nick, string password)
    {
        if (nick.Length == 0 || password.Length == 0) return FinFail<Unit>(Error.New(Required));
        if (!Syntax.IsValidNick(nick)) return FinFail<Unit>(Error.New(ProtocolErrors.InvalidNick.Message));
        if (!Syntax.IsValidField(password))
            return FinFail<Unit>(Error.New("the password must not contain control characters"));
        return FinSucc(unit);
    }
}
