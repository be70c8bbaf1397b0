using ChatRoom.Core.Log;
using ChatRoom.Core.Protocol;
using ChatRoom.Core.Room;
using LanguageExt.Common;
using Microsoft.Data.Sqlite;

namespace ChatRoom.Host;

/// <summary>
/// The embedded room log: one SQLite database, <c>room.db</c> in the data folder, in WAL mode with
/// <c>synchronous=NORMAL</c>. What survives what: a committed <see cref="Append"/> is in the WAL file in the
/// operating system's page cache, so it survives the process being killed (<c>kill -9</c>, a crash); it may not
/// survive a power loss or a kernel crash, which can lose the last transactions (never corrupt the file) because
/// a commit does not wait for an fsync; checkpoints do. That is the price of not paying one fsync per batch.
/// <para>
/// Schema (version 1, <c>PRAGMA user_version</c>): <c>events(seq INTEGER PRIMARY KEY, at, kind, nick, text)</c>
/// with the seq as the rowid, the time in unix milliseconds and the kind as a small integer (0 message, 1 joined,
/// 2 left; SQLite stores 0 and 1 in no bytes at all), so a 100-byte message costs little more than its text;
/// <c>meta(id = 1, last_seq)</c>, the last seq given, so that seqs continue even when retention pruned every row;
/// and <c>present(folded, nick, seq)</c>, who is in the room, kept in the same transaction as each append, so
/// that <see cref="Recover"/> knows who was there when the process died without reading the log.
/// </para>
/// <para>
/// Only one process writes (see <see cref="LogLock"/>); within it, appends and pruning share one connection under
/// one lock, and history reads have a connection of their own, which WAL lets read while the writer writes.
/// The file, its lock and its <c>-wal</c>/<c>-shm</c> files are 0600 (SQLite gives the last two the database's mode).
/// </para>
/// </summary>
public sealed class SqliteRoomLog : IRoomLog
{
    /// <summary>The database's name in the data folder.</summary>
    public const string FileName = "room.db";

    /// <summary>The schema this code reads and writes (<c>PRAGMA user_version</c>).</summary>
    public const int SchemaVersion = 1;

    /// <summary>Rows deleted per pruning transaction: a few milliseconds of holding the writer's lock.</summary>
    internal const int PruneChunk = 2000;

    private const long Message = 0, Joined = 1, Left = 2;
    private const string Columns = "seq, at, kind, nick, text";

    private static readonly ConnectionId Stored = new(0);

    private readonly string _path;
    private readonly LogLock _lock;
    private readonly SqliteConnection _writer;
    private readonly SqliteConnection _reader;
    private readonly Lock _write = new(); // the writer connection and _lastSeq
    private readonly Lock _read = new(); // the reader connection
    private readonly Appending _append;
    private readonly SqliteConnection _checkpointer;
    private readonly Lock _checkpoint = new(); // the checkpointer connection
    private readonly Timer _checkpoints;
    private long _lastSeq;
    private bool _disposed;

    /// <summary>How often the WAL is copied back into the database, off the writer's thread.</summary>
    private static readonly TimeSpan CheckpointEvery = TimeSpan.FromSeconds(1);

    private SqliteRoomLog(string path, LogLock held, SqliteConnection writer, SqliteConnection reader, SqliteConnection checkpointer, long lastSeq)
    {
        _path = path;
        _lock = held;
        _writer = writer;
        _reader = reader;
        _checkpointer = checkpointer;
        _lastSeq = lastSeq;
        _append = new Appending(writer);
        // SQLite checkpoints inside the commit that crosses 1,000 pages of WAL, with an fsync of the database when
        // synchronous is NORMAL: a quiet room, which commits every message alone, met one every couple of seconds,
        // and the messages behind it waited. The writer never checkpoints; a timer does, passively (it never
        // blocks the writer), on a connection of its own.
        Execute(writer, "PRAGMA wal_autocheckpoint = 0");
        _checkpoints = new Timer(_ => Checkpoint(), null, CheckpointEvery, CheckpointEvery);
    }

    /// <summary>Copies what the WAL holds into the database, without waiting for the writer or the readers.</summary>
    private void Checkpoint()
    {
        lock (_checkpoint)
        {
            if (_disposed) return;
            try
            {
                Execute(_checkpointer, "PRAGMA wal_checkpoint(PASSIVE)");
            }
            catch (SqliteException)
            {
                // A full disk or a busy database: the WAL keeps the data, and the next tick tries again.
            }
        }
    }

    /// <summary>The database file.</summary>
    public string Path => _path;

    /// <summary>The database of the data folder <paramref name="data"/>.</summary>
    public static string In(string data) => System.IO.Path.GetFullPath(System.IO.Path.Combine(data, FileName));

    /// <summary>
    /// Opens the log at <paramref name="path"/> for writing, creating it (and its folder, 0700) if it does not
    /// exist. Fails, with a message naming the file, when it is locked by another process, not writable, not a
    /// database, not a room log, of a newer schema, or corrupt where it is used (see <see cref="Check"/>). The
    /// server prints the error and stops: it must never start on a log it cannot append to.
    /// With <paramref name="fsyncEachCommit"/> (<c>Log:FsyncEachBatch</c>), <c>synchronous=FULL</c>: every commit
    /// (one per batch) waits for the disk, so what was delivered survives a power loss too.
    /// </summary>
    public static Fin<SqliteRoomLog> Open(string path, bool fsyncEachCommit = false)
    {
        var full = System.IO.Path.GetFullPath(path);
        try
        {
            SecretFile.CreateFolder(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Error.New($"room log {full} is not writable: cannot create its folder: {e.Message}");
        }
        var held = LogLock.Take(full);
        if (held.Case is not LogLock taken) return held.Match(_ => default(Fin<SqliteRoomLog>), FinFail<SqliteRoomLog>);
        var opened = Create(full)
            .Bind(_ => Connect(full, SqliteOpenMode.ReadWrite))
            .Bind(writer => Prepare(full, writer, fsyncEachCommit).Match(
                lastSeq => Connect(full, SqliteOpenMode.ReadOnly).Bind(reader => Connect(full, SqliteOpenMode.ReadWrite)
                    .Map(checkpointer => new SqliteRoomLog(full, taken, writer, reader, checkpointer, lastSeq))),
                error =>
                {
                    writer.Dispose();
                    return FinFail<SqliteRoomLog>(error);
                }));
        if (opened.IsFail) taken.Dispose();
        return opened;
    }

    /// <inheritdoc />
    public Recovery Recover(int recent)
    {
        lock (_read)
        {
            using var snapshot = _reader.BeginTransaction(deferred: true);
            var last = (long)Scalar(_reader, "SELECT last_seq FROM meta WHERE id = 1")!;
            var entries = Read(_reader, $"SELECT {Columns} FROM events ORDER BY seq DESC LIMIT $n", ("$n", Math.Max(0, recent)));
            entries.Reverse();
            var present = new List<string>();
            using (var command = Command(_reader, "SELECT nick FROM present ORDER BY seq"))
            using (var rows = command.ExecuteReader())
                while (rows.Read()) present.Add(rows.GetString(0));
            return new Recovery(last, toSeq(entries).Strict(), toSeq(present).Strict());
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<LogEntry> Append(IReadOnlyList<Draft> drafts)
    {
        if (drafts.Count == 0) return [];
        lock (_write)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var committed = _append.Run(drafts, _lastSeq);
            _lastSeq = committed[^1].Seq;
            return committed;
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<LogEntry> Before(long before, int count)
    {
        if (count <= 0) return [];
        lock (_read)
        {
            var entries = Read(_reader, $"SELECT {Columns} FROM events WHERE seq < $before ORDER BY seq DESC LIMIT $n", ("$before", before), ("$n", count));
            entries.Reverse();
            return entries;
        }
    }

    /// <summary>
    /// <inheritdoc />
    /// On a connection of its own, opened when the enumeration starts and closed when it ends, so a long export
    /// never holds up history reads. While it runs, WAL cannot be checkpointed past it and grows.
    /// A time bound is a filter over the rows after <paramref name="after"/>: there is no index on time (it would
    /// cost more bytes per message than the text of a short one), which an administrator's export can afford.
    /// </summary>
    public IEnumerable<LogEntry> Export(long after, DateTimeOffset since) =>
        Rows(() => Connect(_path, SqliteOpenMode.ReadOnly).IfFail(e => throw new IOException(e.Message)), after, since);

    /// <summary>
    /// Reads a log that a running server may be writing (history export): the file must exist and be a room log
    /// of a known schema; it is opened read-only, takes no lock and never changes the file. The entries are read
    /// lazily, on a connection the enumeration closes when it ends.
    /// </summary>
    public static Fin<IEnumerable<LogEntry>> ExportFile(string path, long after, DateTimeOffset since)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full)) return Error.New($"there is no room log at {full}");
        var connection = Connect(full, SqliteOpenMode.ReadOnly);
        if (connection.Case is not SqliteConnection reader) return connection.Map(_ => Enumerable.Empty<LogEntry>());
        try
        {
            var version = (long)Scalar(reader, "PRAGMA user_version")!;
            if (version != SchemaVersion)
                return Error.New($"{full} is not a room log of schema {SchemaVersion} (its user_version is {version})");
        }
        catch (SqliteException e)
        {
            return Explained(full, e);
        }
        finally
        {
            reader.Dispose();
        }
        return FinSucc(Rows(() => Connect(full, SqliteOpenMode.ReadOnly).IfFail(e => throw new IOException(e.Message)), after, since));
    }

    /// <inheritdoc />
    /// <remarks>
    /// An entry goes when either limit says so. Only ever the oldest entries go, so the log stays one unbroken run
    /// of seqs (which makes the count bound exact: everything at or below last seq − <paramref name="keep"/>).
    /// By age, an entry goes once it and every entry before it are older than the limit: a clock stepped back
    /// keeps entries a little longer, never loses newer ones. Freed pages are reused by later appends; the file does not shrink.
    /// </remarks>
    public long Prune(long keep, TimeSpan maxAge, DateTimeOffset now)
    {
        if (keep <= 0 && maxAge <= TimeSpan.Zero) return 0;
        var cutoff = maxAge > TimeSpan.Zero ? (now - maxAge).ToUnixTimeMilliseconds() : long.MinValue;
        long total = 0;
        while (true)
        {
            var (deleted, more) = PruneOnce(keep, cutoff);
            total += deleted;
            if (!more) return total;
            Thread.Sleep(1); // let the writer in: a Lock is not fair, and a waiting append is worth more than pruning
        }
    }

    /// <summary>One pruning transaction of at most <see cref="PruneChunk"/> rows; whether there may be more to do.</summary>
    private (long Deleted, bool More) PruneOnce(long keep, long cutoff)
    {
        lock (_write)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var transaction = _writer.BeginTransaction();
            if (Scalar(_writer, "SELECT MIN(seq) FROM events") is not long first) return (0, false);
            // Either limit may delete a row (the end is exclusive); a chunk never reaches past first + PruneChunk.
            var chunkEnd = first + PruneChunk;
            var allowed = first;
            if (keep > 0) allowed = Math.Max(allowed, _lastSeq - keep + 1);
            if (cutoff != long.MinValue)
                allowed = Math.Max(allowed,
                    Scalar(_writer, "SELECT MIN(seq) FROM events WHERE seq >= $first AND seq < $end AND at >= $cutoff",
                        ("$first", first), ("$end", chunkEnd), ("$cutoff", cutoff)) as long? ?? chunkEnd);
            var end = Math.Min(chunkEnd, allowed);
            if (end <= first) return (0, false);
            using var delete = Command(_writer, "DELETE FROM events WHERE seq >= $first AND seq < $end", ("$first", first), ("$end", end));
            var deleted = delete.ExecuteNonQuery();
            transaction.Commit();
            return (deleted, end == chunkEnd);
        }
    }

    /// <summary>
    /// Caps the database at <paramref name="pages"/> pages (<c>PRAGMA max_page_count</c>), so that tests meet a
    /// real SQLITE_FULL, as on a full disk. SQLite never sets it below the pages in use; returns the cap in force.
    /// </summary>
    internal long LimitPages(long pages)
    {
        lock (_write) return (long)Scalar(_writer, $"PRAGMA max_page_count = {pages}")!;
    }

    /// <summary>The pages the database uses now.</summary>
    internal long PageCount
    {
        get
        {
            lock (_write) return (long)Scalar(_writer, "PRAGMA page_count")!;
        }
    }

    /// <summary>Closes the connections (the last one checkpoints and removes the WAL) and lets go of the lock.</summary>
    public void Dispose()
    {
        lock (_write)
        {
            if (_disposed) return;
            _disposed = true;
            _checkpoints.Dispose();
            lock (_checkpoint) _checkpointer.Dispose();
            _append.Dispose();
            lock (_read) _reader.Dispose();
            _writer.Dispose();
            _lock.Dispose();
        }
    }

    /// <summary>Creates the database file 0600 if it is missing (an empty file is an empty database), else makes it 0600.</summary>
    private static Fin<Unit> Create(string path)
    {
        try
        {
            if (File.Exists(path))
            {
                if (!OperatingSystem.IsWindows())
                    foreach (var file in new[] { path, path + "-wal", path + "-shm" })
                        if (File.Exists(file) && File.GetUnixFileMode(file) != SecretFile.FileMode) File.SetUnixFileMode(file, SecretFile.FileMode);
                return unit;
            }
            using (new FileStream(path, SecretFile.Options(FileMode.CreateNew, FileAccess.Write))) { }
            return unit;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Error.New($"room log {path} is not writable: {e.Message}");
        }
    }

    private static Fin<SqliteConnection> Connect(string path, SqliteOpenMode mode)
    {
        // No pooling: a pooled connection would outlive Dispose, keeping the file open after the lock is gone, and
        // hand its settings (max_page_count) to the next Open in the same process.
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = mode,
            Pooling = false,
        }.ToString());
        try
        {
            connection.Open();
            Execute(connection, "PRAGMA busy_timeout = 5000");
            return connection;
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            return Explained(path, e);
        }
    }

    /// <summary>
    /// Sets the writer up and checks the file: WAL (which needs a writable file and folder), the schema (created
    /// on a new file, refused when it is another database or a newer schema), a real write (SQLite opens a
    /// read-only file read-only without saying so) and <see cref="Check"/>. Returns the last seq given.
    /// </summary>
    private static Fin<long> Prepare(string path, SqliteConnection writer, bool fsyncEachCommit)
    {
        try
        {
            var mode = (string?)Scalar(writer, "PRAGMA journal_mode = WAL");
            if (!"wal".Equals(mode, StringComparison.OrdinalIgnoreCase))
                return Error.New($"room log {path} is not writable: SQLite could not switch it to WAL (journal mode {mode})");
            Execute(writer, fsyncEachCommit ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
            using (var transaction = writer.BeginTransaction())
            {
                var version = (long)Scalar(writer, "PRAGMA user_version")!;
                if (version == 0)
                {
                    if ((long)Scalar(writer, "SELECT count(*) FROM sqlite_schema")! != 0)
                        return Error.New($"{path} is a database but not a room log (it has tables and no schema version); move it aside");
                    Execute(writer, """
                        CREATE TABLE events (seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, kind INTEGER NOT NULL, nick TEXT NOT NULL, text TEXT);
                        CREATE TABLE meta (id INTEGER PRIMARY KEY CHECK (id = 1), last_seq INTEGER NOT NULL);
                        CREATE TABLE present (folded TEXT PRIMARY KEY, nick TEXT NOT NULL, seq INTEGER NOT NULL) WITHOUT ROWID;
                        INSERT INTO meta (id, last_seq) VALUES (1, 0);
                        """);
                    Execute(writer, $"PRAGMA user_version = {SchemaVersion}");
                }
                else if (version != SchemaVersion)
                    return Error.New($"room log {path} has schema version {version}; this server knows {SchemaVersion} (is it from a newer server?)");
                Execute(writer, "UPDATE meta SET last_seq = last_seq WHERE id = 1");
                transaction.Commit();
            }
            if (Check(writer) is { } damage) return Error.New($"room log {path} is corrupt ({damage}); move it aside (with its -wal file) to start an empty log");
            return Scalar(writer, "SELECT last_seq FROM meta WHERE id = 1") is long last
                ? FinSucc(last)
                : Error.New($"room log {path} is corrupt: its meta row is missing; move it aside to start an empty log");
        }
        catch (SqliteException e)
        {
            return Explained(path, e);
        }
        catch (InvalidDataException e)
        {
            return Error.New($"room log {path} is corrupt ({e.Message}); move it aside (with its -wal file) to start an empty log");
        }
    }

    /// <summary>
    /// A bounded check, so that opening costs the same whatever the log's size (a full <c>quick_check</c> reads
    /// the whole file: 1.3 s for 1,000,000 messages from a cold cache, over the start-up budget on its own):
    /// <c>quick_check</c> of the small tables (meta, present), and a read of the newest and oldest entries, which
    /// walks the pages that appends, recovery and pruning use. Damage elsewhere in the events table is found
    /// when a history read reaches it (that read fails with SQLITE_CORRUPT); <c>sqlite3 room.db 'PRAGMA
    /// integrity_check'</c> checks the whole file offline. Returns what is wrong, or null.
    /// </summary>
    private static string? Check(SqliteConnection connection)
    {
        foreach (var table in new[] { "meta", "present" })
            if (Scalar(connection, $"PRAGMA quick_check({table})") is var result && !"ok".Equals(result))
                return $"{table}: {result}";
        _ = Read(connection, $"SELECT {Columns} FROM events ORDER BY seq DESC LIMIT 64");
        _ = Read(connection, $"SELECT {Columns} FROM events ORDER BY seq LIMIT 64");
        return null;
    }

    /// <summary>A SQLite failure at open as an administrator can act on it, naming the file.</summary>
    private static Error Explained(string path, SqliteException e) => e.SqliteErrorCode switch
    {
        26 => Error.New($"room log {path} is not a SQLite database (SQLite: {e.Message}); move it aside to start an empty log"),
        11 => Error.New($"room log {path} is corrupt (SQLite: {e.Message}); move it aside (with its -wal file) to start an empty log"),
        8 or 14 or 23 => Error.New($"room log {path} is not writable (SQLite: {e.Message})"),
        5 or 6 => Error.New($"room log {path} is locked by another process (SQLite: {e.Message})"),
        13 => Error.New($"room log {path}: the disk is full (SQLite: {e.Message})"),
        _ => Error.New($"cannot open room log {path} (SQLite: {e.Message})"),
    };

    private static IEnumerable<LogEntry> Rows(Func<SqliteConnection> open, long after, DateTimeOffset since)
    {
        using var connection = open();
        using var command = Command(connection, $"SELECT {Columns} FROM events WHERE seq > $after AND at >= $since ORDER BY seq",
            ("$after", after), ("$since", since.ToUnixTimeMilliseconds()));
        using var rows = command.ExecuteReader();
        while (rows.Read()) yield return Entry(rows);
    }

    private static List<LogEntry> Read(SqliteConnection connection, string sql, params (string, object)[] parameters)
    {
        using var command = Command(connection, sql, parameters);
        using var rows = command.ExecuteReader();
        var entries = new List<LogEntry>();
        while (rows.Read()) entries.Add(Entry(rows));
        return entries;
    }

    private static LogEntry Entry(SqliteDataReader row)
    {
        var nick = row.GetString(3);
        var text = row.IsDBNull(4) ? "" : row.GetString(4);
        RoomEvent happened = row.GetInt64(2) switch
        {
            Message => new RoomEvent.Message(nick, text),
            Joined => new RoomEvent.Joined(nick),
            Left => new RoomEvent.Left(nick, text),
            var kind => throw new InvalidDataException($"room log entry {row.GetInt64(0)} has an unknown kind {kind}"),
        };
        return new LogEntry(row.GetInt64(0), DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(1)), happened, Stored);
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return command;
    }

    private static object? Scalar(SqliteConnection connection, string sql, params (string, object)[] parameters)
    {
        using var command = Command(connection, sql, parameters);
        return command.ExecuteScalar();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = Command(connection, sql);
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// The append path's statements, prepared once and reused for every row (the room appends up to tens of
    /// thousands of events a second, in batches): one transaction per batch, the event rows, the presence
    /// change of each JOINED and LEFT, and the last seq.
    /// </summary>
    private sealed class Appending : IDisposable
    {
        private readonly SqliteConnection _connection;
        private readonly SqliteCommand _insert, _enter, _leave, _last;
        private readonly SqliteParameter _seq, _at, _kind, _nick, _text, _enterFolded, _enterNick, _enterSeq, _leaveFolded, _lastSeq;

        public Appending(SqliteConnection connection)
        {
            _connection = connection;
            _insert = Command(connection, "INSERT INTO events (seq, at, kind, nick, text) VALUES ($seq, $at, $kind, $nick, $text)");
            _seq = _insert.Parameters.Add("$seq", SqliteType.Integer);
            _at = _insert.Parameters.Add("$at", SqliteType.Integer);
            _kind = _insert.Parameters.Add("$kind", SqliteType.Integer);
            _nick = _insert.Parameters.Add("$nick", SqliteType.Text);
            _text = _insert.Parameters.Add("$text", SqliteType.Text);
            _enter = Command(connection, "INSERT OR REPLACE INTO present (folded, nick, seq) VALUES ($folded, $nick, $seq)");
            _enterFolded = _enter.Parameters.Add("$folded", SqliteType.Text);
            _enterNick = _enter.Parameters.Add("$nick", SqliteType.Text);
            _enterSeq = _enter.Parameters.Add("$seq", SqliteType.Integer);
            _leave = Command(connection, "DELETE FROM present WHERE folded = $folded");
            _leaveFolded = _leave.Parameters.Add("$folded", SqliteType.Text);
            _last = Command(connection, "UPDATE meta SET last_seq = $last WHERE id = 1");
            _lastSeq = _last.Parameters.Add("$last", SqliteType.Integer);
            foreach (var command in new[] { _insert, _enter, _leave, _last }) command.Prepare();
        }

        /// <summary>Commits <paramref name="drafts"/> after <paramref name="lastSeq"/>, or throws having committed nothing.</summary>
        public LogEntry[] Run(IReadOnlyList<Draft> drafts, long lastSeq)
        {
            var committed = new LogEntry[drafts.Count];
            using var transaction = _connection.BeginTransaction();
            foreach (var command in new[] { _insert, _enter, _leave, _last }) command.Transaction = transaction;
            var seq = lastSeq;
            for (var i = 0; i < drafts.Count; i++)
            {
                var draft = drafts[i];
                var at = draft.At.ToUnixTimeMilliseconds();
                _seq.Value = ++seq;
                _at.Value = at;
                switch (draft.Event)
                {
                    case RoomEvent.Message m:
                        Row(Message, m.From, m.Text);
                        break;
                    case RoomEvent.Joined j:
                        Row(Joined, j.Nick, DBNull.Value);
                        _enterFolded.Value = Syntax.FoldNick(j.Nick);
                        _enterNick.Value = j.Nick;
                        _enterSeq.Value = seq;
                        _enter.ExecuteNonQuery();
                        break;
                    case RoomEvent.Left l:
                        Row(Left, l.Nick, l.Reason);
                        _leaveFolded.Value = Syntax.FoldNick(l.Nick);
                        _leave.ExecuteNonQuery();
                        break;
                    default:
                        throw new ArgumentException($"unknown room event {draft.Event.GetType().Name}", nameof(drafts));
                }
                committed[i] = new LogEntry(seq, DateTimeOffset.FromUnixTimeMilliseconds(at), draft.Event, draft.Origin);
            }
            _lastSeq.Value = seq;
            _last.ExecuteNonQuery();
            transaction.Commit();
            return committed;
        }

        private void Row(long kind, string nick, object text)
        {
            _kind.Value = kind;
            _nick.Value = nick;
            _text.Value = text;
            _insert.ExecuteNonQuery();
        }

        public void Dispose()
        {
            foreach (var command in new[] { _insert, _enter, _leave, _last }) command.Dispose();
        }
    }
}
