namespace Kinesis.Clients.Records;

/// <summary>Which engine <see cref="MultiBufferMd5"/> uses; anything but <see cref="Auto"/> is for tests and benchmarks.</summary>
internal enum Md5LaneWidth
{
    /// <summary>The widest lanes the hardware runs well, and the platform's MD5 when lanes would not pay.</summary>
    Auto,

    /// <summary>The platform's MD5, one buffer after the other.</summary>
    Scalar,

    /// <summary>4 lanes of 128 bits (SSE2, x64 only), else as <see cref="Scalar"/>.</summary>
    Vector128,

    /// <summary>8 lanes of 256 bits with AVX2 instructions only, where the hardware has AVX2, else as <see cref="Vector128"/>.</summary>
    Vector256,

    /// <summary>8 lanes of 256 bits with AVX-512VL's instructions where the hardware has them, else as <see cref="Vector256"/>.</summary>
    Vector256Avx512,

    /// <summary>16 lanes of 512 bits where the hardware has AVX-512 and .NET uses it, else as <see cref="Vector256Avx512"/>.</summary>
    Vector512,
}
