using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace ChatRoom.Host.Tests;

/// <summary>
/// <see cref="LineQueue"/> stores lines in pooled segments of 32; whatever the mix of operations, it must
/// behave exactly like a plain <see cref="Queue{T}"/>: same lines, same order, same count.
/// </summary>
public class LineQueueProperties
{
    private enum Op { Enqueue, Dequeue, Clear }

    private static readonly Gen<Op[]> Ops =
        Gen.Frequency((12, Gen.Constant(Op.Enqueue)), (7, Gen.Constant(Op.Dequeue)), (1, Gen.Constant(Op.Clear)))
            .ArrayOf()
            .Select(ops => ops.Length < 10 ? ops : [.. ops, .. ops, .. ops]); // long runs cross many segments

    [Property(MaxTest = 300)]
    public Property Behaves_like_a_queue_for_any_sequence_of_operations() =>
        Prop.ForAll(Ops.ToArbitrary(), ops =>
        {
            var queue = new LineQueue();
            var model = new Queue<byte[]>();
            var next = 0;
            foreach (var op in ops)
            {
                switch (op)
                {
                    case Op.Enqueue:
                        var line = BitConverter.GetBytes(next++);
                        queue.Enqueue(line);
                        model.Enqueue(line);
                        break;
                    case Op.Dequeue when model.Count > 0:
                        if (!ReferenceEquals(queue.Dequeue(), model.Dequeue())) return false.Label("dequeued another line");
                        break;
                    case Op.Dequeue:
                        if (queue.Peek() is not null) return false.Label("an empty queue peeked a line");
                        break;
                    case Op.Clear:
                        queue.Clear();
                        model.Clear();
                        break;
                }
                if (queue.Count != model.Count) return false.Label($"count {queue.Count}, expected {model.Count}");
                if (!ReferenceEquals(queue.Peek(), model.Count > 0 ? model.Peek() : null)) return false.Label("peeked another line");
            }
            return true.Label("ok").Collect(model.Count > 32 ? "ended over one segment" : "ended within one segment");
        });
}
