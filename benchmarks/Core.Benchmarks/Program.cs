namespace Kinesis.Clients.Benchmarks;

internal static class Program
{
    public static void Main()
    {
    }
}
