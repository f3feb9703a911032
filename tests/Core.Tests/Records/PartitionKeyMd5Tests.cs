using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using CsCheck;
using Kinesis.Clients.Records;

namespace Kinesis.Clients.Tests.Records;

public sealed class PartitionKeyMd5Tests
{
    [Theory]
    [InlineData("", "d41d8cd98f00b204e9800998ecf8427e")]
    [InlineData("a", "0cc175b9c0f1b6a831c399e269772661")]
    [InlineData("abc", "900150983cd24fb0d6963f7d28e17f72")]
    [InlineData("message digest", "f96b697d7cb7938d525a2f31aaf161d0")]
    [InlineData("abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b")]
    [InlineData("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f")]
    [InlineData("12345678901234567890123456789012345678901234567890123456789012345678901234567890", "57edf4a22be3c955ac49da2e2107b67a")]
    public void Hash_matches_the_RFC_1321_test_suite(string input, string digestHex)
    {
        var expected = UInt128.Parse(digestHex, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

        Assert.Equal(expected, PartitionKeyMd5.Hash(Encoding.ASCII.GetBytes(input)));
    }

    [Fact]
    public void Hash_matches_the_platform_MD5_at_every_length_around_the_block_boundaries()
    {
        for (var length = 0; length <= 300; length++)
        {
            var input = Enumerable.Range(0, length).Select(i => (byte)((i * 31) + length)).ToArray();

            Assert.Equal(BinaryPrimitives.ReadUInt128BigEndian(Md5.Of(input)), PartitionKeyMd5.Hash(input));
        }
    }

    [Fact]
    public void Hash_matches_the_platform_MD5_on_random_input()
    {
        SeededCheck.ForAll(Gen.Byte.Array[0, 2000], input =>
            Assert.Equal(BinaryPrimitives.ReadUInt128BigEndian(Md5.Of(input)), PartitionKeyMd5.Hash(input)));
    }
}
