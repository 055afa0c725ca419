package dev.proactor.compat.matrix;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads the Surefire XML reports of every column: {@code <root>/<pair>/TEST-*.xml}. */
public final class SurefireReports {
    private SurefireReports() {
    }

    public static List<TestResult> read(Path root) throws Exception {
        List<TestResult> results = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return results;
        }
        try (Stream<Path> pairs = Files.list(root)) {
            for (Path pairDir : pairs.filter(Files::isDirectory).sorted().toList()) {
                for (Path report : reports(pairDir)) {
                    readReport(pairDir.getFileName().toString(), report, results);
                }
            }
        }
        return results;
    }

    private static List<Path> reports(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith("TEST-") && n.endsWith(".xml");
            }).sorted().toList();
        }
    }

    private static void readReport(String pair, Path report, List<TestResult> into) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document doc = factory.newDocumentBuilder().parse(report.toFile());
        NodeList cases = doc.getElementsByTagName("testcase");
        if (cases.getLength() == 0) {
            // JUnit aborted the whole class before any test (an assumption in @BeforeAll): Surefire writes no test
            // case at all, and the class would vanish from the matrix without a trace.
            into.add(new TestResult(pair, simpleName(doc.getDocumentElement().getAttribute("name")), "",
                    TestResult.Outcome.SKIPPED, "no test case reported: the class was aborted before its tests "
                    + "(see its output in the column's report directory)", 0));
            return;
        }
        for (int i = 0; i < cases.getLength(); i++) {
            Element c = (Element) cases.item(i);
            String className = simpleName(c.getAttribute("classname"));
            if (className.isEmpty()) {
                className = simpleName(doc.getDocumentElement().getAttribute("name"));
            }
            TestResult.Outcome outcome = TestResult.Outcome.PASSED;
            String message = "";
            Element problem = first(c, "failure");
            if (problem == null) {
                problem = first(c, "error");
            }
            if (problem != null) {
                outcome = TestResult.Outcome.FAILED;
                message = describe(problem);
            } else {
                Element skipped = first(c, "skipped");
                if (skipped != null) {
                    outcome = TestResult.Outcome.SKIPPED;
                    message = skipReason(skipped);
                }
            }
            into.add(new TestResult(pair, className, c.getAttribute("name"), outcome, message, seconds(c)));
        }
    }

    private static String describe(Element problem) {
        String message = problem.getAttribute("message");
        String type = problem.getAttribute("type");
        String text = message.isEmpty() ? type : (type.isEmpty() ? message : type + ": " + message);
        return text.isEmpty() ? firstLine(problem.getTextContent()) : text;
    }

    private static String skipReason(Element skipped) {
        String reason = skipped.getAttribute("message");
        if (reason.isEmpty()) {
            reason = firstLine(skipped.getTextContent());
        }
        for (String noise : new String[] {"org.opentest4j.TestAbortedException: ", "Assumption failed: "}) {
            if (reason.startsWith(noise)) {
                reason = reason.substring(noise.length());
            }
        }
        return reason;
    }

    private static String firstLine(String s) {
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }

    private static Element first(Element parent, String tag) {
        NodeList l = parent.getElementsByTagName(tag);
        return l.getLength() == 0 ? null : (Element) l.item(0);
    }

    private static double seconds(Element c) {
        try {
            return Double.parseDouble(c.getAttribute("time").replace(",", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }
}
