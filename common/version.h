/* The release both programs print for --version: mvdc and mvrun come from
 * one tree, and a plan is read by the mvrun of the same release. */
#ifndef MVD_VERSION_H
#define MVD_VERSION_H

#define MVD_VERSION "0.1.0"

#endif
