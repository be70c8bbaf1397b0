using System.CommandLine;
using ChatRoom.Core.Auth;
using ChatRoom.Core.Protocol;
using Command = System.CommandLine.Command;

namespace ChatRoom.Host;

/// <summary>
/// <c>chatroom-host users add|remove|list|passwd|import</c>: account management on the users file, or with
/// <c>--Cluster:Url</c> on the cluster's accounts bucket (same prompts, messages and exit codes).
/// </summary>
public static class UsersCommand
{
    public static Command Create(Func<ParseResult, Fin<ServerOptions>> options)
    {
        var users = new Command("users", "Manage accounts in the users file, or with --Cluster:Url in the cluster's accounts bucket (hashes only; passwords are never stored).");

        var addNick = new Argument<string>("nick") { Description = "the nickname (1-32 letters, digits, _ - .)" };
        var add = new Command("add", "Add an account; the password is read without echo, or from standard input when piped.") { addNick };
        add.SetAction(r => Run(options(r), store =>
        {
            var nick = r.GetValue(addNick)!;
            if (!Syntax.IsValidNick(nick)) return Fail($"invalid nickname '{nick}': 1-{Syntax.MaxNickChars} letters, digits, _ - or .");
            if (ChatRoom.Core.Names.NickProfile.Refusal(nick).Case is string why) return Fail($"invalid nickname '{nick}': {why}");
            if (store.Current.Find(nick).IsSome) return Fail($"user '{nick}' already exists");
            // Refused before the password is asked for (UserDirectory.Add checks again under the file's lock).
            if (store.Current.LookalikeOf(nick).Case is UserAccount twin) return Fail($"nickname '{nick}' looks like the account '{twin.Nick}'");
            return PasswordPrompt.ReadNew($"password for {nick}: ")
                .Bind(Checked)
                .Map(p => new UserAccount(nick, store.Hash(p))) // hashed before the file is locked
                .Bind(account => store.Update(d => d.Add(account)))
                .Bind(_ => AccountChanges.Applied(store, nick, AccountChange.Added))
                .Map(_ => $"added {nick}");
        }));

        var removeNick = new Argument<string>("nick");
        var remove = new Command("remove", "Remove an account.") { removeNick };
        remove.SetAction(r => Run(options(r), store =>
        {
            var nick = r.GetValue(removeNick)!;
            return store.Update(d => d.Remove(nick))
                .Bind(_ => AccountChanges.Applied(store, nick, AccountChange.Removed))
                .Map(_ => $"removed {nick}");
        }));

        var list = new Command("list", "List the accounts.");
        list.SetAction(r => Run(options(r), store =>
            FinSucc(string.Join(Environment.NewLine, store.Current.List().Map(a => a.Nick)))));

        var passwdNick = new Argument<string>("nick");
        var passwd = new Command("passwd", "Change an account's password.") { passwdNick };
        passwd.SetAction(r => Run(options(r), store =>
        {
            var nick = r.GetValue(passwdNick)!;
            if (store.Current.Find(nick).IsNone) return Fail($"no such user '{nick}'");
            return PasswordPrompt.ReadNew($"new password for {nick}: ")
                .Bind(Checked)
                .Map(store.Hash) // hashed before the file is locked
                .Bind(hash => store.Update(d => d.SetPassword(nick, hash)))
                .Bind(_ => AccountChanges.Applied(store, nick, AccountChange.PasswordChanged))
                .Map(_ => $"changed the password of {nick}");
        }));

        var from = new System.CommandLine.Option<string?>("--from") { Description = "the users file to import (default: users.json in the data folder)" };
        var import = new Command("import", "Copy the accounts of a users file into the cluster's accounts bucket (--Cluster:Url); accounts already there are kept.") { from };
        import.SetAction(r => Run(options(r), store =>
        {
            if (store is not ClusterAccounts cluster) return Fail("users import copies a users file into a cluster: give --Cluster:Url nats://host:port");
            var file = Path.GetFullPath(r.GetValue(from) ?? options(r).Match(o => o.UsersFile, _ => "users.json"));
            return ImportFile(cluster, file);
        }));

        users.Subcommands.Add(add);
        users.Subcommands.Add(remove);
        users.Subcommands.Add(list);
        users.Subcommands.Add(passwd);
        users.Subcommands.Add(import);
        return users;
    }

    private static Fin<IAccounts> Open(ServerOptions options) =>
        options.Cluster.Enabled
            ? ClusterAccounts.Open(options.Cluster, options.HashIterations).GetAwaiter().GetResult().Map(c => (IAccounts)c)
            : UserStore.Open(options.UsersFile, options.HashIterations).Map(s => (IAccounts)s);

    private static Fin<string> Checked(string password) =>
        Syntax.IsValidField(password) && !string.IsNullOrEmpty(password)
            ? FinSucc(password)
            : LanguageExt.Common.Error.New("a password must not be empty or hold control characters");

    private static Fin<string> Fail(string message) => LanguageExt.Common.Error.New(message);

    /// <summary>
    /// Copies the accounts of <paramref name="file"/> that the bucket lacks into it (see <see cref="ClusterAccounts.Import"/>):
    /// what <c>users import</c> does, and what the first host of a cluster does at start.
    /// </summary>
    public static Fin<string> ImportFile(ClusterAccounts cluster, string file) =>
        !File.Exists(file) ? Fail($"no users file {file}")
        : UserStore.Open(file, PasswordHash.MinIterations)
            .Bind(source => cluster.Import(source.Current).Map(n =>
                $"imported {n.Added} accounts from {file} into the {cluster.Where}" + (n.Present > 0 ? $" ({n.Present} were there already)" : "")));

    private static int Run(Fin<ServerOptions> options, Func<IAccounts, Fin<string>> action) =>
        options.Bind(Open).Bind(store =>
        {
            try
            {
                return action(store);
            }
            finally
            {
                if (store is ClusterAccounts cluster) cluster.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }).Match(
            message =>
            {
                if (message.Length > 0) Console.WriteLine(message);
                return 0;
            },
            error =>
            {
                Console.Error.WriteLine($"error: {error.Message}");
                return 1;
            });
}
