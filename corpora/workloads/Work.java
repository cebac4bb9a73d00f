// SPDX-License-Identifier: GPL-2.0-only
// Work.java FILELIST - a Java heap of HashMaps, Strings, records and JSON-like
// text built from fixed input files with new Random(42).  Prints READY when
// warm, then sleeps.
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.*;

public class Work {
	record Rec(int id, String name, List<String> tags, double score, String line, boolean ok) {}

	static Object keep;

	public static void main(String[] args) throws Exception {
		Random rnd = new Random(42);
		List<String> paths = Files.readAllLines(Paths.get(args[0]), StandardCharsets.UTF_8);
		Map<String, Integer> words = new HashMap<>();
		List<String> lines = new ArrayList<>();
		for (String p : paths) {
			if (p.isEmpty())
				continue;
			String s = new String(Files.readAllBytes(Paths.get(p)), StandardCharsets.UTF_8);
			for (String line : s.split("\n")) {
				lines.add(line.trim());
				for (String w : line.split("\\s+"))
					if (!w.isEmpty())
						words.merge(w, 1, Integer::sum);
			}
		}
		List<String> vocab = new ArrayList<>(words.keySet());
		Collections.sort(vocab);
		List<Rec> recs = new ArrayList<>();
		for (int i = 0; i < 150000; i++)
			recs.add(new Rec(i, vocab.get(rnd.nextInt(vocab.size())),
					 List.of(vocab.get(rnd.nextInt(vocab.size())),
						 vocab.get(rnd.nextInt(vocab.size()))),
					 Math.round(rnd.nextDouble() * 1e6) / 1e3,
					 lines.get(rnd.nextInt(lines.size())), rnd.nextBoolean()));
		Map<String, List<Integer>> index = new TreeMap<>();
		for (Rec r : recs)
			index.computeIfAbsent(r.name().length() > 3 ? r.name().substring(0, 3) : r.name(),
					      k -> new ArrayList<>()).add(r.id());
		StringBuilder json = new StringBuilder();
		for (Rec r : recs.subList(0, 60000))
			json.append("{\"id\":").append(r.id()).append(",\"name\":\"").append(r.name())
			    .append("\",\"score\":").append(r.score()).append("},\n");
		keep = new Object[] { words, lines, recs, index, json.toString() };
		System.out.println("READY");
		System.out.flush();
		Thread.sleep(3600_000L);
	}
}
