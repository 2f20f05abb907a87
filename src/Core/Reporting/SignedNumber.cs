using System.Globalization;

namespace Harness.Core.Reporting;

/// <summary>
/// A signed difference for tables: "+0.12", "-0.12", and "+0.00" for one that rounds to zero, whatever its sign
/// (.NET's section formats print "-0" or "-+0.00" there, which reads as a loss that is not one).
/// </summary>
public static class SignedNumber
{
    public static string Format(double value, int decimals)
    {
        if (double.IsNaN(value)) return "n/a";
        if (double.IsInfinity(value)) return value > 0 ? "+∞" : "-∞";
        double rounded = Math.Round(value, decimals);
        string digits = Math.Abs(rounded).ToString("F" + decimals, CultureInfo.InvariantCulture);
        return (rounded < 0 ? "-" : "+") + digits;
    }
}
