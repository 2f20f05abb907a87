using System.Globalization;
using System.Reflection;
using Harness.Core.Configuration;
using YamlDotNet.RepresentationModel;

namespace Harness.Core.Specs;

/// <summary>
/// Binds a YAML node to an immutable settings record through its primary constructor: snake_case keys map to
/// parameters, parameters with defaults are optional, unknown keys and wrong types are errors located at their
/// node. Supports int, long, ulong, double, bool, string, enums, nullable values, arrays and nested records.
/// `key: null` sets a key that has a default to that default.
/// </summary>
public static class SettingsBinder
{
    public static T? Bind<T>(YamlNode? node, string path, SpecErrors errors) where T : class =>
        (T?)Bind(typeof(T), node, path, errors);

    public static object? Bind(Type type, YamlNode? node, string path, SpecErrors errors)
    {
        var underlying = Nullable.GetUnderlyingType(type);
        if (underlying is not null)
        {
            return node is YamlScalarNode { Value: null or "" or "~" or "null" } ? null : Bind(underlying, node, path, errors);
        }
        if (type.IsArray) return BindArray(type.GetElementType()!, node, path, errors);
        if (IsScalarType(type)) return BindScalar(type, node, path, errors);
        return BindRecord(type, node, path, errors);
    }

    /// <summary>The snake_case keys a record type accepts, for messages and documentation.</summary>
    public static IReadOnlyList<string> KeysOf(Type type) =>
        PrimaryConstructor(type).GetParameters().Select(p => Naming.ToSnakeCase(p.Name!)).ToList();

    /// <summary>
    /// The type a dotted key path (`optimizer.hidden`) has inside a settings record, or null when the record has no
    /// such key: how a `matrix:` key is checked to be a setting.
    /// </summary>
    public static Type? TypeAt(Type record, string dottedPath)
    {
        Type? current = record;
        foreach (var part in dottedPath.Split('.'))
        {
            if (current is null) return null;
            current = Nullable.GetUnderlyingType(current) ?? current;
            if (current.IsArray || IsScalarType(current)) return null;
            current = PrimaryConstructor(current).GetParameters()
                .FirstOrDefault(p => Naming.ToSnakeCase(p.Name!) == part)?.ParameterType;
        }
        return current;
    }

    /// <summary>`key: null` (or ~) gives a key with a default its default: how an item undoes a key of its `extends:` base.</summary>
    private static bool IsNull(YamlNode node) => node is YamlScalarNode { Value: null or "" or "~" or "null" } scalar &&
                                                 scalar.Style is not YamlDotNet.Core.ScalarStyle.SingleQuoted and not YamlDotNet.Core.ScalarStyle.DoubleQuoted;

    private static bool IsScalarType(Type t) =>
        t == typeof(int) || t == typeof(long) || t == typeof(ulong) || t == typeof(double) || t == typeof(bool) ||
        t == typeof(string) || t.IsEnum;

    private static ConstructorInfo PrimaryConstructor(Type type) =>
        type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();

    private static object? BindRecord(Type type, YamlNode? node, string path, SpecErrors errors)
    {
        if (node is not YamlMappingNode mapping)
        {
            errors.Add(node, path, $"expected a mapping with the keys {string.Join(", ", KeysOf(type))}");
            return null;
        }
        var parameters = PrimaryConstructor(type).GetParameters();
        var byKey = parameters.ToDictionary(p => Naming.ToSnakeCase(p.Name!), StringComparer.Ordinal);
        var given = new Dictionary<string, (YamlNode Key, YamlNode Value)>(StringComparer.Ordinal);
        int before = errors.Count;
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            if (!byKey.ContainsKey(key))
            {
                var close = byKey.Keys.Where(k => Similar(k, key)).ToList();
                errors.Add(keyNode, Join(path, key),
                    $"unknown key '{key}'" + (close.Count > 0 ? $" (did you mean '{close[0]}'?)" : "") +
                    $"; allowed keys: {string.Join(", ", byKey.Keys)}");
                continue;
            }
            given[key] = (keyNode, valueNode);
        }
        var args = new object?[parameters.Length];
        for (int i = 0; i < parameters.Length; i++)
        {
            var key = Naming.ToSnakeCase(parameters[i].Name!);
            if (given.TryGetValue(key, out var entry) && !(IsNull(entry.Value) && parameters[i].HasDefaultValue))
            {
                args[i] = Bind(parameters[i].ParameterType, entry.Value, Join(path, key), errors);
            }
            else if (parameters[i].HasDefaultValue)
            {
                args[i] = parameters[i].DefaultValue;
            }
            else
            {
                errors.Add(mapping, path, $"missing required key '{key}' ({Describe(parameters[i].ParameterType)})");
            }
        }
        if (errors.Count > before) return null;
        var instance = PrimaryConstructor(type).Invoke(args);
        if (instance is IValidatableSettings validatable)
        {
            foreach (var (key, message) in validatable.Validate())
            {
                var at = given.TryGetValue(key, out var e) ? e.Value : mapping;
                errors.Add(at, Join(path, key), message);
            }
        }
        return errors.Count > before ? null : instance;
    }

    private static object? BindArray(Type element, YamlNode? node, string path, SpecErrors errors)
    {
        if (node is not YamlSequenceNode sequence)
        {
            errors.Add(node, path, $"expected a list of {Describe(element)} values, like [a, b]");
            return null;
        }
        var array = Array.CreateInstance(element, sequence.Children.Count);
        int before = errors.Count;
        for (int i = 0; i < sequence.Children.Count; i++)
        {
            array.SetValue(Bind(element, sequence.Children[i], $"{path}[{i}]", errors), i);
        }
        return errors.Count > before ? null : array;
    }

    private static object? BindScalar(Type type, YamlNode? node, string path, SpecErrors errors)
    {
        if (node is not YamlScalarNode scalar || scalar.Value is null)
        {
            errors.Add(node, path, $"expected {Describe(type)}");
            return null;
        }
        var text = scalar.Value.Trim();
        var inv = CultureInfo.InvariantCulture;
        object? value = null;
        if (type == typeof(string)) value = scalar.Value;
        else if (type == typeof(int) && int.TryParse(text.Replace("_", ""), NumberStyles.Integer, inv, out var i)) value = i;
        else if (type == typeof(long) && long.TryParse(text.Replace("_", ""), NumberStyles.Integer, inv, out var l)) value = l;
        else if (type == typeof(ulong) && ulong.TryParse(text.Replace("_", ""), NumberStyles.Integer, inv, out var u)) value = u;
        else if (type == typeof(double) && double.TryParse(text.Replace("_", ""), NumberStyles.Float, inv, out var d) && double.IsFinite(d)) value = d;
        else if (type == typeof(bool) && (text is "true" or "false")) value = text == "true";
        else if (type.IsEnum)
        {
            var match = Enum.GetNames(type).FirstOrDefault(n => Naming.ToSnakeCase(n).Replace("_", "-") == text ||
                                                                Naming.ToSnakeCase(n) == text);
            if (match is not null) value = Enum.Parse(type, match);
        }
        if (value is null) errors.Add(scalar, path, $"'{scalar.Value}' is not {Describe(type)}");
        return value;
    }

    public static string Describe(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type);
        if (underlying is not null) return Describe(underlying) + " or null";
        if (type == typeof(int) || type == typeof(long)) return "a whole number";
        if (type == typeof(ulong)) return "a whole number ≥ 0";
        if (type == typeof(double)) return "a finite number";
        if (type == typeof(bool)) return "true or false";
        if (type == typeof(string)) return "a text";
        if (type.IsEnum) return "one of " + string.Join(", ", Enum.GetNames(type).Select(n => Naming.ToSnakeCase(n).Replace("_", "-")));
        if (type.IsArray) return "a list of " + Describe(type.GetElementType()!);
        return "a mapping with the keys " + string.Join(", ", KeysOf(type));
    }

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    private static bool Similar(string a, string b)
    {
        if (Math.Abs(a.Length - b.Length) > 2) return false;
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
        for (int j = 1; j <= b.Length; j++)
            d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
        return d[a.Length, b.Length] <= 2;
    }
}
