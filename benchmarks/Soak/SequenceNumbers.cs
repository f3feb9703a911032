namespace Kinesis.Clients.Soak;

internal static class SequenceNumbers
{
    /// <summary>Orders two stream positions: sequence numbers are decimal integers of up to 128 bits, then sub-sequence numbers.</summary>
    public static int Compare(string a, long aSub, string b, long bSub)
    {
        var byLength = a.Length.CompareTo(b.Length);
        var bySequence = byLength != 0 ? byLength : string.CompareOrdinal(a, b);
        return bySequence != 0 ? bySequence : aSub.CompareTo(bSub);
    }
}
