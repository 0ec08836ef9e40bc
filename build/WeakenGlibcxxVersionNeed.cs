// MSBuild inline task (compiled by RoslynCodeTaskFactory, see TorchSharpNative.targets).
//
// Why: libLibTorchSharp.so from TorchSharp 0.107.0 lists a version need on GLIBCXX_3.4.32 for one
// marker symbol it never calls (std::ios_base_library_init). Debian 12's libstdc++ stops at
// GLIBCXX_3.4.30, so the dynamic loader refuses the whole library. Setting VER_FLG_WEAK on that one
// Vernaux entry turns the hard failure into a tolerated absence. We patch only the copy in the build
// or publish output, never the NuGet cache. See docs/torchsharp-native.md.
using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public sealed class WeakenGlibcxxVersionNeed : Task
{
    const uint ShtGnuVerneed = 0x6ffffffe;
    const ushort VerFlgWeak = 0x2;

    /// <summary>ELF shared objects to patch in place (missing files are skipped).</summary>
    [Required] public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();

    /// <summary>Version names to mark weak, separated by ';' (e.g. GLIBCXX_3.4.32).</summary>
    [Required] public string Versions { get; set; } = "";

    public override bool Execute()
    {
        var versions = Versions.Split(new[] { ';' }, StringSplitOptions.RemoveEmptyEntries);
        foreach (var item in Files)
        {
            var path = item.ItemSpec;
            if (!File.Exists(path)) continue;
            try
            {
                var bytes = File.ReadAllBytes(path);
                int changed = MarkWeak(bytes, versions);
                if (changed > 0)
                {
                    // Write a new file and move it over the old one: if the output copy were a hard
                    // link into the NuGet cache, writing in place would patch the cache too.
                    var temp = path + ".patching";
                    File.WriteAllBytes(temp, bytes);
                    File.Delete(path);
                    File.Move(temp, path);
                    Log.LogMessage(MessageImportance.Normal, $"Marked {changed} version need(s) weak in {path}");
                }
            }
            catch (Exception e)
            {
                Log.LogError($"Could not patch ELF version needs in {path}: {e.Message}");
            }
        }
        return !Log.HasLoggedErrors;
    }

    /// <summary>Sets VER_FLG_WEAK on every Vernaux entry whose name is in <paramref name="versions"/>.</summary>
    static int MarkWeak(byte[] elf, string[] versions)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file");
        if (elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("only 64-bit little-endian ELF is supported");

        long shoff = (long)BitConverter.ToUInt64(elf, 0x28);
        int shentsize = BitConverter.ToUInt16(elf, 0x3A);
        int shnum = BitConverter.ToUInt16(elf, 0x3C);
        int changed = 0;
        for (int s = 0; s < shnum; s++)
        {
            long sh = shoff + (long)s * shentsize;
            if (BitConverter.ToUInt32(elf, (int)sh + 4) != ShtGnuVerneed) continue;
            long offset = (long)BitConverter.ToUInt64(elf, (int)sh + 24);
            int link = (int)BitConverter.ToUInt32(elf, (int)sh + 40);
            int count = (int)BitConverter.ToUInt32(elf, (int)sh + 44);
            long strtab = (long)BitConverter.ToUInt64(elf, (int)(shoff + (long)link * shentsize) + 24);

            long need = offset;
            for (int n = 0; n < count; n++)
            {
                int auxCount = BitConverter.ToUInt16(elf, (int)need + 2);
                long aux = need + BitConverter.ToUInt32(elf, (int)need + 8);
                for (int a = 0; a < auxCount; a++)
                {
                    string name = ReadCString(elf, strtab + BitConverter.ToUInt32(elf, (int)aux + 8));
                    if (Array.IndexOf(versions, name) >= 0)
                    {
                        ushort flags = BitConverter.ToUInt16(elf, (int)aux + 4);
                        if ((flags & VerFlgWeak) == 0)
                        {
                            flags |= VerFlgWeak;
                            elf[aux + 4] = (byte)(flags & 0xff);
                            elf[aux + 5] = (byte)(flags >> 8);
                            changed++;
                        }
                    }
                    aux += BitConverter.ToUInt32(elf, (int)aux + 12);
                }
                need += BitConverter.ToUInt32(elf, (int)need + 12);
            }
        }
        return changed;
    }

    static string ReadCString(byte[] bytes, long start)
    {
        long end = start;
        while (end < bytes.Length && bytes[end] != 0) end++;
        return Encoding.ASCII.GetString(bytes, (int)start, (int)(end - start));
    }
}
