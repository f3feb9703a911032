using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.Intrinsics;
using System.Security.Cryptography;

namespace Kinesis.Clients.Records;

/// <summary>
/// The MD5 (RFC 1321) digests of many buffers at once, several times faster per byte than hashing them one after
/// the other: 16 (AVX-512), 8 (AVX2) or 4 (SSE2) buffers are hashed side by side, one per SIMD
/// lane. Made for the digests that end KPL aggregates, of which one PutRecords request carries dozens.
/// </summary>
/// <remarks>
/// MD5 is a chain of dependent steps, so one buffer cannot go faster than the chain; independent buffers can share
/// each step. A lane whose buffer ends takes the next buffer, so lengths may differ freely. Without 128-bit SIMD,
/// or when one buffer of 512 bytes or more is three quarters of the bytes (a single aggregate, say: a lane is
/// no faster than the serial chain), each buffer goes to <see cref="MD5.HashData(ReadOnlySpan{byte}, Span{byte})"/>;
/// so does a buffer of 64 bytes or more whose memory is not an array (from a <see cref="MemoryManager{T}"/>).
/// MD5 here is a checksum, not a security function.
/// </remarks>
internal static class MultiBufferMd5
{
    /// <summary>Bytes of one MD5 digest.</summary>
    public const int DigestSize = 16;

    /// <summary>
    /// Buffers shorter than this are cheaper in a lane even alone, the call into OpenSSL being most of their cost
    /// (measured for 100 bytes: 620 ns in OpenSSL, 344-459 ns in a lane).
    /// </summary>
    internal const int ShortLength = 512;

    /// <summary>Writes the MD5 digest of each input to consecutive 16-byte slots of <paramref name="digests"/>.</summary>
    /// <param name="inputs">The buffers to hash, of any lengths; there may be none.</param>
    /// <param name="digests">
    /// At least 16 bytes per input: the digest of <c>inputs[i]</c> goes to bytes <c>16 i</c> to <c>16 i + 15</c>. It
    /// must not overlap any input (digests are written while other inputs are still being read).
    /// </param>
    /// <exception cref="ArgumentException"><paramref name="digests"/> is shorter than 16 bytes per input.</exception>
    public static void HashData(ReadOnlySpan<ReadOnlyMemory<byte>> inputs, Span<byte> digests) =>
        HashData(inputs, digests, Md5LaneWidth.Auto);

    /// <summary>
    /// Writes the MD5 digest of each input to the first 16 bytes of the matching destination, e.g. into the slot
    /// that follows each aggregate's body.
    /// </summary>
    /// <param name="inputs">The buffers to hash, of any lengths; there may be none.</param>
    /// <param name="destinations">
    /// One per input, each at least 16 bytes. Digests are written after every input has been read, so a
    /// destination may overlap any input.
    /// </param>
    /// <exception cref="ArgumentException">
    /// <paramref name="destinations"/> does not have one entry per input, or one of them is shorter than 16 bytes.
    /// </exception>
    public static void HashData(ReadOnlySpan<ReadOnlyMemory<byte>> inputs, ReadOnlySpan<Memory<byte>> destinations)
    {
        if (destinations.Length != inputs.Length)
        {
            throw new ArgumentException(
                $"Destinations must have one entry per input: {inputs.Length} inputs, {destinations.Length} destinations.",
                nameof(destinations));
        }

        for (var i = 0; i < destinations.Length; i++)
        {
            if (destinations[i].Length < DigestSize)
            {
                throw new ArgumentException(
                    $"Destination {i} must hold a {DigestSize}-byte digest; it has {destinations[i].Length} bytes.",
                    nameof(destinations));
            }
        }

        var size = inputs.Length * DigestSize;
        byte[]? rented = null;
        Span<byte> digests = size <= 1024 ? stackalloc byte[1024] : (rented = ArrayPool<byte>.Shared.Rent(size));
        try
        {
            HashData(inputs, digests, Md5LaneWidth.Auto);
            for (var i = 0; i < destinations.Length; i++)
            {
                digests.Slice(i * DigestSize, DigestSize).CopyTo(destinations[i].Span);
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>As the public overload, with the engine chosen by the caller (tests and benchmarks).</summary>
    internal static void HashData(ReadOnlySpan<ReadOnlyMemory<byte>> inputs, Span<byte> digests, Md5LaneWidth width)
    {
        if (digests.Length / DigestSize < inputs.Length)
        {
            throw new ArgumentException(
                $"Digests must hold {DigestSize} bytes per input: {inputs.Length} inputs need {(long)inputs.Length * DigestSize} bytes, it has {digests.Length}.",
                nameof(digests));
        }

        if (inputs.IsEmpty)
        {
            return;
        }

        if (width == Md5LaneWidth.Auto)
        {
            width = LanesPay(inputs) ? Md5LaneWidth.Vector512 : Md5LaneWidth.Scalar;
        }

        if (width == Md5LaneWidth.Vector512 && Md5Vector512Lanes.IsSupported)
        {
            Run<Md5Vector512Lanes, Vector512<uint>>(inputs, digests);
        }
        else if ((width is Md5LaneWidth.Vector512 or Md5LaneWidth.Vector256Avx512) && Md5Vector256Avx512Lanes.IsSupported)
        {
            Run<Md5Vector256Avx512Lanes, Vector256<uint>>(inputs, digests);
        }
        else if (width is not (Md5LaneWidth.Scalar or Md5LaneWidth.Vector128) && Md5Vector256Lanes.IsSupported)
        {
            Run<Md5Vector256Lanes, Vector256<uint>>(inputs, digests);
        }
        else if (width is not Md5LaneWidth.Scalar && Md5Vector128Lanes.IsSupported)
        {
            Run<Md5Vector128Lanes, Vector128<uint>>(inputs, digests);
        }
        else
        {
            for (var i = 0; i < inputs.Length; i++)
            {
                HashOne(inputs[i].Span, digests.Slice(i * DigestSize, DigestSize));
            }
        }
    }

    /// <summary>
    /// Whether lanes beat the platform's MD5 on these buffers. A lane runs one buffer no faster than the serial MD5
    /// chain allows, about a third slower per byte than OpenSSL on one buffer (measured 1.76 against 1.32 ns a byte
    /// for 51,200 bytes with AVX2; 1.80 against 1.42 in 4 lanes of Vector128), so lanes lose when one long buffer is
    /// most of the work: it runs nearly alone at the end.
    /// </summary>
    internal static bool LanesPay(ReadOnlySpan<ReadOnlyMemory<byte>> inputs)
    {
        long total = 0;
        var longest = 0;
        foreach (var input in inputs)
        {
            total += input.Length;
            longest = Math.Max(longest, input.Length);
        }

        return longest < ShortLength || longest * 4L < total * 3;
    }

    private static void Run<TOps, TVector>(ReadOnlySpan<ReadOnlyMemory<byte>> inputs, Span<byte> digests)
        where TOps : IMd5LaneOps<TVector>
        where TVector : struct
    {
        // Longest first: the buffers still running when the others are done are then the short ones, so few
        // lanes idle at the end.
        var count = inputs.Length;
        int[]? rentedOrder = null;
        Span<int> sortSpace = count <= 128 ? stackalloc int[256] : (rentedOrder = ArrayPool<int>.Shared.Rent(2 * count));
        var keys = sortSpace[..count];
        var order = sortSpace.Slice(count, count);
        for (var i = 0; i < count; i++)
        {
            keys[i] = -inputs[i].Length;
            order[i] = i;
        }

        keys.Sort(order);
        var tails = ArrayPool<byte>.Shared.Rent(Md5LaneBatch<TOps, TVector>.ScratchSize);
        try
        {
            var batch = new Md5LaneBatch<TOps, TVector>(inputs, order, digests, tails);
            batch.Run();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(tails);
            if (rentedOrder is not null)
            {
                ArrayPool<int>.Shared.Return(rentedOrder);
            }
        }
    }

    [SuppressMessage("Security", "CA5351", Justification = "The KPL format checks aggregates with MD5; it is a checksum, not security.")]
    private static void HashOne(ReadOnlySpan<byte> input, Span<byte> digest) => MD5.HashData(input, digest);
}
