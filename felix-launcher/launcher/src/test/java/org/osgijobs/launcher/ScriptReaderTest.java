package org.osgijobs.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.junit.Test;

import org.osgijobs.launcher.ScriptReader.Statement;

public class ScriptReaderTest {

    @Test
    public void oneStatementPerLineSkippingCommentsAndBlanks() {
        List<Statement> s = ScriptReader.statements("t", "# push two\n\njobs:push default log a\n"
                + "  jobs:stat  \n");
        assertEquals(List.of(new Statement(3, "jobs:push default log a"), new Statement(4, "jobs:stat")), s);
    }

    @Test
    public void aBlockSpansLinesUntilItCloses() {
        List<Statement> s = ScriptReader.statements("t", "each [1 2] {\n  echo $it\n}\njobs:list\n");
        assertEquals(List.of(new Statement(1, "each [1 2] {\n  echo $it\n}"), new Statement(4, "jobs:list")), s);
    }

    @Test
    public void bracesInsideQuotesDoNotOpenBlocks() {
        List<Statement> s = ScriptReader.statements("t", "jobs:push default log '{\"a\":1'\njobs:list");
        assertEquals(2, s.size());
        assertEquals("jobs:push default log '{\"a\":1'", s.get(0).text());
    }

    @Test
    public void aTrailingBackslashContinuesTheLine() {
        List<Statement> s = ScriptReader.statements("t", "jobs:push default log \\\n   hello\n");
        assertEquals(List.of(new Statement(1, "jobs:push default log     hello")), s);
    }

    @Test
    public void namesWhereAnUnclosedBlockStarted() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ScriptReader.statements("run.gosh", "jobs:list\neach [1] {\n echo\n"));
        assertTrue(e.getMessage(), e.getMessage().startsWith("run.gosh:2: statement not closed"));
    }

    @Test
    public void namesAStrayClosingBrace() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ScriptReader.statements("run.gosh", "jobs:list\n}\n"));
        assertEquals("run.gosh:2: '}' closes nothing", e.getMessage());
    }
}
