using System.Text;
using System.Text.Json.Serialization;
using ChatRoom.Core.Protocol;

namespace ChatRoom.Host;

/// <summary>
/// Names in the cluster's key-value buckets. A KV key allows only ASCII letters, digits and <c>- _ = . /</c>, and
/// a nickname may be <c>北落</c>: keys are the lower-case hex of the UTF-8 bytes of the folded nickname (so
/// <c>Alice</c> and <c>alice</c> are one key), and a token's key is its account's key, a dot, and the hex of the
/// token's SHA-256 (so one account's tokens are the keys <c>&lt;account&gt;.*</c>).
/// </summary>
public static class ClusterKeys
{
    public static string AccountsBucket(string room) => $"chatroom-{room}-accounts";

    public static string TokensBucket(string room) => $"chatroom-{room}-tokens";

    public static string Account(string nick) => Convert.ToHexStringLower(Encoding.UTF8.GetBytes(Syntax.FoldNick(nick)));

    /// <summary>The folded nickname an account key stands for, if the key has that form.</summary>
    public static string? FoldedOf(string key)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromHexString(key));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>The key of a token, from its account and its hash as <see cref="TokenStore.HashOf"/> gives it (base64).</summary>
    public static string Token(string nick, string hash) => $"{Account(nick)}.{Convert.ToHexStringLower(Convert.FromBase64String(hash))}";

    /// <summary>The token hash (base64) a token key ends with, if the key has that form.</summary>
    public static string? HashOfTokenKey(string key)
    {
        var dot = key.LastIndexOf('.');
        if (dot < 0) return null;
        try
        {
            return Convert.ToBase64String(Convert.FromHexString(key.AsSpan(dot + 1)));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

/// <summary>The bucket values: the same records as the users file and the token file hold (hashes only).</summary>
[JsonSourceGenerationOptions(WriteIndented = false, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(UserEntry))]
[JsonSerializable(typeof(TokenEntry))]
internal sealed partial class ClusterJson : JsonSerializerContext;
