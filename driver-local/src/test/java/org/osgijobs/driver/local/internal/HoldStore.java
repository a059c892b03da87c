package org.osgijobs.driver.local.internal;

import org.h2.mvstore.MVStore;

/** Run in a second JVM by the tests: opens a store file, says so, and holds it until its standard input closes. */
public final class HoldStore {
    private HoldStore() {
    }

    public static void main(String[] args) throws Exception {
        MVStore store = new MVStore.Builder().fileName(args[0]).open();
        System.out.println("held");
        System.out.flush();
        while (System.in.read() >= 0) {
            // hold until the test closes our input
        }
        store.close();
    }
}
