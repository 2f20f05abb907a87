using System.Text;

namespace Harness.Core.Configuration;

/// <summary>snake_case in files, PascalCase in records.</summary>
public static class Naming
{
    public static string ToSnakeCase(string pascal)
    {
        var sb = new StringBuilder(pascal.Length + 8);
        for (int i = 0; i < pascal.Length; i++)
        {
            char c = pascal[i];
            if (char.IsUpper(c))
            {
                bool boundary = i > 0 && (char.IsLower(pascal[i - 1]) || char.IsDigit(pascal[i - 1]) ||
                                          (i + 1 < pascal.Length && char.IsLower(pascal[i + 1]) && char.IsUpper(pascal[i - 1])));
                if (boundary) sb.Append('_');
                sb.Append(char.ToLowerInvariant(c));
            }
            else
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }
}
