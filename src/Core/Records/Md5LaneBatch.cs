using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Kinesis.Clients.Records;

/// <summary>
/// Feeds buffers to the lanes of one vector width: each lane hashes one buffer at a time and takes the next as soon
/// as its buffer ends, so lanes stay busy whatever the lengths. A lane reads a buffer's whole blocks where they
/// are; its last one or two blocks (the rest of the data and the padding) are built in a per-lane scratch area.
/// </summary>
/// <typeparam name="TOps">The vector width's operations.</typeparam>
/// <typeparam name="TVector">The vector of 32-bit words, one per lane.</typeparam>
internal ref struct Md5LaneBatch<TOps, TVector>
    where TOps : IMd5LaneOps<TVector>
    where TVector : struct
{
    private const int BlockSize = 64;
    private const int TailSize = 2 * BlockSize;
    private const int Idle = -1;

    private readonly ReadOnlySpan<ReadOnlyMemory<byte>> _inputs;
    private readonly ReadOnlySpan<int> _order;
    private readonly Span<byte> _digests;
    private readonly byte[] _tails;
    private Md5LaneSources _sources;
    private Md5LaneState<TVector> _state;
    private LaneInts _current;
    private LaneInts _blocks;
    private LaneInts _inTail;
    private int _next;

    /// <param name="inputs">The buffers.</param>
    /// <param name="order">The order to start them in (indexes into <paramref name="inputs"/>).</param>
    /// <param name="digests">16 bytes per input, at 16 × its index.</param>
    /// <param name="tails">Scratch: at least <see cref="TailSize"/> bytes per lane.</param>
    public Md5LaneBatch(ReadOnlySpan<ReadOnlyMemory<byte>> inputs, ReadOnlySpan<int> order, Span<byte> digests, byte[] tails)
    {
        _inputs = inputs;
        _order = order;
        _digests = digests;
        _tails = tails;
    }

    public static int ScratchSize => TOps.Width * TailSize;

    public void Run()
    {
        _state.A = TOps.Create(Md5LaneRounds.InitialA);
        _state.B = TOps.Create(Md5LaneRounds.InitialB);
        _state.C = TOps.Create(Md5LaneRounds.InitialC);
        _state.D = TOps.Create(Md5LaneRounds.InitialD);
        var width = TOps.Width;
        for (var lane = 0; lane < width; lane++)
        {
            Start(lane);
        }

        var message = default(Md5LaneMessage<TVector>);
        while (true)
        {
            // Run every lane until the first of them reaches the end of its segment (body or tail).
            var run = int.MaxValue;
            var busy = Idle;
            for (var lane = 0; lane < width; lane++)
            {
                if (_current[lane] != Idle)
                {
                    run = Math.Min(run, _blocks[lane]);
                    busy = lane;
                }
            }

            if (busy == Idle)
            {
                return;
            }

            // An idle lane hashes a busy lane's blocks (it has at least `run` of them) and its result is dropped.
            for (var lane = 0; lane < width; lane++)
            {
                if (_current[lane] == Idle)
                {
                    _sources.Arrays[lane] = _sources.Arrays[busy];
                    _sources.Offsets[lane] = _sources.Offsets[busy];
                }
            }

            for (var block = 0; block < run; block++)
            {
                TOps.Load(ref _sources, (nuint)block * BlockSize, ref message);
                Md5LaneRounds.Compress<TOps, TVector>(ref _state, ref message);
            }

            for (var lane = 0; lane < width; lane++)
            {
                if (_current[lane] != Idle)
                {
                    _blocks[lane] -= run;
                    _sources.Offsets[lane] += run * BlockSize;
                    if (_blocks[lane] == 0)
                    {
                        Advance(lane);
                    }
                }
            }
        }
    }

    /// <summary>Gives <paramref name="lane"/> the next buffer, or leaves it idle when none is left.</summary>
    private void Start(int lane)
    {
        while (_next < _order.Length)
        {
            var index = _order[_next++];
            var input = _inputs[index];
            _current[lane] = index;
            _inTail[lane] = 0;
            if (input.Length < BlockSize)
            {
                StartTail(lane);
                return;
            }

            if (MemoryMarshal.TryGetArray(input, out var segment))
            {
                _sources.Arrays[lane] = segment.Array!;
                _sources.Offsets[lane] = segment.Offset;
                _blocks[lane] = input.Length / BlockSize;
                return;
            }

            // Memory that is not an array (native or pinned memory from a MemoryManager) has no array to read from.
            HashOne(input.Span, Digest(index));
        }

        _current[lane] = Idle;
    }

    /// <summary>Moves <paramref name="lane"/> from its buffer's whole blocks to the tail, or from the tail to the next buffer.</summary>
    private void Advance(int lane)
    {
        if (_inTail[lane] == 0)
        {
            StartTail(lane);
            return;
        }

        // The digest is A, B, C, D, each little-endian.
        var digest = Digest(_current[lane]);
        BinaryPrimitives.WriteUInt32LittleEndian(digest, TOps.GetLane(_state.A, lane));
        BinaryPrimitives.WriteUInt32LittleEndian(digest[4..], TOps.GetLane(_state.B, lane));
        BinaryPrimitives.WriteUInt32LittleEndian(digest[8..], TOps.GetLane(_state.C, lane));
        BinaryPrimitives.WriteUInt32LittleEndian(digest[12..], TOps.GetLane(_state.D, lane));
        _state.A = TOps.WithLane(_state.A, lane, Md5LaneRounds.InitialA);
        _state.B = TOps.WithLane(_state.B, lane, Md5LaneRounds.InitialB);
        _state.C = TOps.WithLane(_state.C, lane, Md5LaneRounds.InitialC);
        _state.D = TOps.WithLane(_state.D, lane, Md5LaneRounds.InitialD);
        Start(lane);
    }

    /// <summary>Builds the lane's last one or two blocks: the rest of its data, 0x80, zeros, the bit length (64-bit little-endian).</summary>
    private void StartTail(int lane)
    {
        var input = _inputs[_current[lane]].Span;
        var full = input.Length & ~(BlockSize - 1);
        var remainder = input.Length - full;
        var tail = _tails.AsSpan(lane * TailSize, TailSize);
        tail.Clear();
        input[full..].CopyTo(tail);
        tail[remainder] = 0x80;
        var tailLength = remainder < BlockSize - 8 ? BlockSize : TailSize;
        BinaryPrimitives.WriteUInt64LittleEndian(tail[(tailLength - 8)..], (ulong)input.Length * 8);
        _sources.Arrays[lane] = _tails;
        _sources.Offsets[lane] = lane * TailSize;
        _blocks[lane] = tailLength / BlockSize;
        _inTail[lane] = 1;
    }

    private readonly Span<byte> Digest(int index) => _digests.Slice(index * MultiBufferMd5.DigestSize, MultiBufferMd5.DigestSize);

    [SuppressMessage("Security", "CA5351", Justification = "The KPL format checks aggregates with MD5; it is a checksum, not security.")]
    private static void HashOne(ReadOnlySpan<byte> input, Span<byte> digest) => MD5.HashData(input, digest);

    [InlineArray(Md5LaneSources.MaxLanes)]
    private struct LaneInts
    {
        private int _value;
    }
}
