using System.Globalization;
using ChatRoom.Core.Client;

namespace ChatRoom.Client.Shell;

/// <summary>
/// The token file's effects, carried out the same way by both modes: keep a token issued (and say until when),
/// delete one refused or revoked, keep the newest seq seen next to it. A failure to write is told, never fatal.
/// </summary>
internal static class TokenKeeping
{
    /// <summary>Carries out <paramref name="effect"/> if it is one of the token file's; false when it is not.</summary>
    public static bool Carry(TokenFile? file, ClientEffect effect, Action<string> notice)
    {
        switch (effect)
        {
            case ClientEffect.SaveToken save:
                if (file is null) return true;
                file.Write(save.Token, save.Expires).IfFail(e => notice(e.Message));
                notice($"stay logged in: the login token is kept in {file.Path} until " +
                       save.Expires.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture));
                return true;
            case ClientEffect.ForgetToken:
                file?.Delete().IfFail(e => notice(e.Message));
                return true;
            case ClientEffect.SaveLastSeen seen:
                file?.WriteLastSeen(seen.Seq).IfFail(e => notice(e.Message));
                return true;
            default:
                return false;
        }
    }
}
