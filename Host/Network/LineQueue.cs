namespace ChatRoom.Host;

/// <summary>
/// A first-in first-out queue of encoded lines for one connection, stored in fixed-size segments that come from
/// and go back to a pool shared by all connections. An idle connection holds no segment at all, and a busy
/// moment (a login storm sends a JOINED line to every member) borrows segments instead of growing, and later
/// dropping, one array per connection, arrays that lived long enough to stay behind in gen 2.
/// Not thread-safe: the owning <see cref="Connection"/> calls it under its lock.
/// </summary>
internal sealed class LineQueue
{
    private Segment? _head;
    private Segment? _tail;
    private int _headIndex;

    /// <summary>How many lines are queued.</summary>
    public int Count { get; private set; }

    public void Enqueue(byte[] line)
    {
        if (_tail is null || _tail.Used == Segment.Capacity)
        {
            var segment = SegmentPool.Take();
            if (_tail is null) _head = segment;
            else _tail.Next = segment;
            _tail = segment;
        }
        _tail.Lines[_tail.Used++] = line;
        Count++;
    }

    /// <summary>The oldest line, or null when the queue is empty.</summary>
    public byte[]? Peek() => Count == 0 ? null : _head!.Lines[_headIndex];

    public byte[] Dequeue()
    {
        if (Count == 0) throw new InvalidOperationException("the queue is empty");
        var head = _head!;
        var line = head.Lines[_headIndex];
        head.Lines[_headIndex++] = null!;
        Count--;
        if (_headIndex == head.Used)
        {
            // This segment is used up: the next one becomes the head, and this one goes back to the pool.
            _head = head.Next;
            if (_head is null) _tail = null;
            _headIndex = 0;
            SegmentPool.Give(head);
        }
        return line;
    }

    /// <summary>Drops every queued line and gives the segments back.</summary>
    public void Clear()
    {
        while (Count > 0) Dequeue();
    }

    private sealed class Segment
    {
        public const int Capacity = 32;
        public readonly byte[][] Lines = new byte[Capacity][];
        public int Used;
        public Segment? Next;
    }

    /// <summary>
    /// Segments not in use, for every connection. It keeps at most <see cref="MaxKept"/> of them (about 1.25 MiB);
    /// a segment given back beyond that is left to the GC.
    /// </summary>
    private static class SegmentPool
    {
        private const int MaxKept = 4096;
        private static readonly Lock Gate = new();
        private static readonly Stack<Segment> Free = new();

        public static Segment Take()
        {
            lock (Gate)
            {
                if (Free.TryPop(out var segment)) return segment;
            }
            return new Segment();
        }

        public static void Give(Segment segment)
        {
            segment.Used = 0;
            segment.Next = null;
            lock (Gate)
            {
                if (Free.Count < MaxKept) Free.Push(segment);
            }
        }
    }
}
